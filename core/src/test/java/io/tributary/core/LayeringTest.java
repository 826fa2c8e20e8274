package io.tributary.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

class LayeringTest {
  private static final JavaClasses CORE = new ClassFileImporter()
      .withImportOption(new ImportOption.DoNotIncludeTests())
      .importPackages("io.tributary.core");

  @Test
  void coreClassesAreImported() {
    assertFalse(CORE.isEmpty());
    assertFalse(CORE.stream().anyMatch(c -> c.getSimpleName().endsWith("Test")));
  }

  @Test
  void coreDependsOnNoAdapter() {
    ArchRule rule = noClasses()
        .that().resideInAPackage("io.tributary.core..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.apache.kafka..", "org.duckdb..", "io.netty..", "software.amazon..", "java.sql..")
        .because("core holds the event model and pure logic; adapters depend on it, not the reverse");
    rule.check(CORE);
  }
}
