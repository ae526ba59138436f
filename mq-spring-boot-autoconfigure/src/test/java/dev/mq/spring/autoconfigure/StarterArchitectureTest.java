package dev.mq.spring.autoconfigure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The starter is a user of mq-core like any application: it touches API packages only. */
@AnalyzeClasses(packages = "dev.mq.spring", importOptions = ImportOption.DoNotIncludeTests.class)
class StarterArchitectureTest {

    @ArchTest
    static final ArchRule usesTheEngineThroughItsApiOnly = noClasses()
            .should().dependOnClassesThat().resideInAPackage("dev.mq.core.internal..")
            .because("what the starter needs from the engine, applications may need too: it belongs in the API");

    @ArchTest
    static final ArchRule theListenerApiStandsAlone = noClasses()
            .that().resideInAPackage("dev.mq.spring.listener..")
            .should().dependOnClassesThat().resideInAPackage("dev.mq.spring.autoconfigure..")
            .because("dev.mq.spring.listener is what users touch; the machinery behind it depends on it, not the reverse");
}
