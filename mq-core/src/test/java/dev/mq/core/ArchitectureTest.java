package dev.mq.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.NullMarked;

/**
 * The layers of mq-core, checked on every build (see docs/architecture.md, "The engine"):
 *
 * <ul>
 *   <li>API packages ({@code dev.mq.core}, {@code .client}, {@code .producer}, {@code .metrics}) show
 *       users only API types: no public signature there names an internal type;</li>
 *   <li>internal packages never call back into the client that assembles them: what they need from it
 *       is {@code internal.client.ClientServices};</li>
 *   <li>the transport knows no producer, route or client concept; the wire formats in
 *       {@code internal.protocol} know nothing above them, not even the transport;</li>
 *   <li>no cycle between any two packages; no Spring and no RocketMQ class anywhere;</li>
 *   <li>every package is {@code @NullMarked}, so NullAway checks all of it at compile time.</li>
 * </ul>
 */
@AnalyzeClasses(packages = "dev.mq.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    static final String[] API = {"dev.mq.core", "dev.mq.core.client", "dev.mq.core.producer", "dev.mq.core.metrics"};
    static final String INTERNAL = "dev.mq.core.internal..";

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("dev.mq.(**)").should().beFreeOfCycles();

    @ArchTest
    static final ArchRule apiMethodsNameNoInternalType = codeUnits()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideInAnyPackage(API)
            .should(nameNoInternalType())
            .because("users touch API packages only; internals may change in any release");

    @ArchTest
    static final ArchRule apiFieldsNameNoInternalType = fields()
            .that().arePublic().and().areDeclaredInClassesThat().arePublic()
            .and().areDeclaredInClassesThat().resideInAnyPackage(API)
            .should(new ArchCondition<JavaField>("name no internal type") {
                @Override
                public void check(JavaField field, ConditionEvents events) {
                    report(field.getFullName(), List.of(field.getType()), events);
                }
            })
            .because("users touch API packages only; internals may change in any release");

    @ArchTest
    static final ArchRule internalsNeverReachTheClientOrMetrics = noClasses()
            .that().resideInAPackage(INTERNAL)
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.client", "dev.mq.core.metrics")
            .because("MQClientInstance assembles the internals; they take what they need from ClientServices");

    @ArchTest
    static final ArchRule transportKnowsNoProducerRouteOrClient = noClasses()
            .that().resideInAPackage("dev.mq.core.internal.transport..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.producer..", "dev.mq.core.client..",
                    "dev.mq.core.metrics..", "dev.mq.core.internal.send..", "dev.mq.core.internal.route..",
                    "dev.mq.core.internal.client..")
            .because("the transport serves producers, consumers and control requests alike");

    @ArchTest
    static final ArchRule wireFormatsKnowNothingAboveThem = noClasses()
            .that().resideInAPackage("dev.mq.core.internal.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.producer..", "dev.mq.core.client..",
                    "dev.mq.core.metrics..", "dev.mq.core.internal.transport..", "dev.mq.core.internal.send..",
                    "dev.mq.core.internal.route..", "dev.mq.core.internal.client..")
            .because("wire formats are data: they are used by every layer and use none");

    @ArchTest
    static final ArchRule routesKnowNoSend = noClasses()
            .that().resideInAPackage("dev.mq.core.internal.route..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.producer..", "dev.mq.core.internal.send..")
            .because("routes serve producers and consumers alike");

    @ArchTest
    static final ArchRule everyPackageIsNullMarked = classes()
            .should(new ArchCondition<JavaClass>("reside in a @NullMarked package") {
                @Override
                public void check(JavaClass javaClass, ConditionEvents events) {
                    if (!javaClass.getPackage().isAnnotatedWith(NullMarked.class)) {
                        events.add(SimpleConditionEvent.violated(javaClass, javaClass.getPackageName()
                                + " has no @NullMarked package-info: NullAway would not check " + javaClass.getName()));
                    }
                }
            })
            .because("NullAway checks only @NullMarked code: a package without it would escape the check");

    @ArchTest
    static final ArchRule noSpringInTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("mq-core is usable without Spring; the starter adapts it");

    @ArchTest
    static final ArchRule noRocketMQClassInTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAPackage("org.apache.rocketmq..")
            .because("the engine is written from the protocol, not on Apache's client");

    private static ArchCondition<JavaCodeUnit> nameNoInternalType() {
        return new ArchCondition<>("name no internal type") {
            @Override
            public void check(JavaCodeUnit member, ConditionEvents events) {
                List<JavaType> types = new ArrayList<>(member.getParameterTypes());
                types.add(member.getReturnType());
                report(member.getFullName(), types, events);
            }
        };
    }

    private static void report(String member, List<? extends JavaType> types, ConditionEvents events) {
        for (JavaType type : types) {
            for (JavaClass involved : type.getAllInvolvedRawTypes()) {
                if (involved.getPackageName().startsWith("dev.mq.core.internal")) {
                    events.add(SimpleConditionEvent.violated(member, member + " names internal " + involved.getName()));
                }
            }
        }
    }
}
