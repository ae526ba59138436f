package dev.mq.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layers of mq-core that hold today, checked on every build: the transport and the codecs know
 * nothing of producers or of the client instance built on them, and the engine depends on no Spring and
 * no RocketMQ class. (The API/internal split and the rule against package cycles join these when the
 * packages are rearranged.)
 */
@AnalyzeClasses(packages = "dev.mq.core", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule transportKnowsNoProducerOrClient = noClasses()
            .that().resideInAPackage("dev.mq.core.remoting..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.producer..", "dev.mq.core.client..",
                    "dev.mq.core.metrics..")
            .because("the transport serves producers, consumers and control requests alike");

    @ArchTest
    static final ArchRule codecsKnowNoTransportProducerOrClient = noClasses()
            .that().resideInAPackage("dev.mq.core.protocol..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.mq.core.producer..", "dev.mq.core.client..",
                    "dev.mq.core.remoting..", "dev.mq.core.metrics..")
            .because("wire formats are data: they are used by every layer and use none");

    @ArchTest
    static final ArchRule noSpringInTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAPackage("org.springframework..")
            .because("mq-core is usable without Spring; the starter adapts it");

    @ArchTest
    static final ArchRule noRocketMQClassInTheEngine = noClasses()
            .should().dependOnClassesThat().resideInAPackage("org.apache.rocketmq..")
            .because("the engine is written from the protocol, not on Apache's client");
}
