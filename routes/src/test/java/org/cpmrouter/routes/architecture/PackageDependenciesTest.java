package org.cpmrouter.routes.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


/**
 * Which package of the router may use which, pinned: the role routes (sipcore, participating, controlling,
 * urilist, interworking) may use the shared packages below them (reports, policy, ...), never the other way round, and
 * {@code admin}, {@code auth}, {@code logging} and {@code reports} never reach into a role route. The map is in routes/README.md; a change to it changes both.
 */
class PackageDependenciesTest {

    private static final String ROOT = "org.cpmrouter.routes";

    private static JavaClasses classes;

    @BeforeAll
    static void importRouterClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void should_follow_the_package_map_when_any_class_uses_another() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("application").definedBy(ROOT)
                .layer("admin").definedBy(ROOT + ".admin..")
                .layer("sipcore").definedBy(ROOT + ".sipcore..")
                .layer("participating").definedBy(ROOT + ".participating..")
                .layer("controlling").definedBy(ROOT + ".controlling..")
                .layer("urilist").definedBy(ROOT + ".urilist..")
                .layer("fanout").definedBy(ROOT + ".fanout..")
                .layer("interworking").definedBy(ROOT + ".interworking..")
                .layer("reports").definedBy(ROOT + ".reports..")
                .layer("auth").definedBy(ROOT + ".auth..")
                .layer("logging").definedBy(ROOT + ".logging..")
                .layer("policy").definedBy(ROOT + ".policy..")
                .layer("health").definedBy(ROOT + ".health..")
                .layer("metrics").definedBy(ROOT + ".metrics..")
                .layer("config").definedBy(ROOT + ".config..")
                .layer("path").definedBy(ROOT + ".path..")

                .whereLayer("application").mayNotBeAccessedByAnyLayer()
                .whereLayer("admin").mayOnlyBeAccessedByLayers("application")
                .whereLayer("sipcore").mayOnlyBeAccessedByLayers("application")
                .whereLayer("participating").mayOnlyBeAccessedByLayers("application")
                .whereLayer("controlling").mayOnlyBeAccessedByLayers("application")
                .whereLayer("urilist").mayOnlyBeAccessedByLayers("application")
                .whereLayer("fanout").mayOnlyBeAccessedByLayers("controlling", "urilist")
                .whereLayer("interworking").mayOnlyBeAccessedByLayers("application")
                .whereLayer("reports").mayOnlyBeAccessedByLayers("application", "sipcore", "participating",
                        "controlling", "urilist", "fanout", "interworking")
                .whereLayer("auth").mayOnlyBeAccessedByLayers("application", "sipcore", "policy")
                .whereLayer("logging").mayOnlyBeAccessedByLayers("application", "sipcore", "reports")
                .whereLayer("policy").mayOnlyBeAccessedByLayers("application", "admin", "sipcore", "participating",
                        "controlling", "urilist", "interworking", "reports", "logging")
                .whereLayer("health").mayOnlyBeAccessedByLayers("application", "interworking")
                .whereLayer("metrics").mayOnlyBeAccessedByLayers("application", "sipcore", "controlling",
                        "urilist", "interworking", "policy")
                .whereLayer("config").mayOnlyBeAccessedByLayers("application", "admin", "sipcore", "participating",
                        "controlling", "urilist", "interworking", "reports", "auth", "policy")
                .check(classes);
    }

    @Test
    void should_have_no_cycle_when_packages_use_each_other() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void should_name_no_other_route_when_a_route_class_sends_on() {
        noClasses().that().areAssignableTo(RouteBuilder.class)
                .should(accessAFieldOfAnotherRouteClass())
                .because("hops come from one place, org.cpmrouter.routes.path.Hops")
                .check(classes);
    }

    /**
     * Endpoint constants are inlined by the compiler, so the sources are read too: on the message path, direct: URIs
     * are written only in Hops. (The admin API's REST routes keep their own internal direct: endpoints.)
     */
    @Test
    void should_write_direct_endpoints_only_in_hops_when_routes_name_a_role() throws IOException {
        Path main = Path.of("src/main/java/org/cpmrouter/routes");
        List<String> offenders;
        try (Stream<Path> files = Files.walk(main)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.endsWith(Path.of("path", "Hops.java")))
                    .filter(f -> !main.relativize(f).startsWith("admin"))
                    .filter(f -> read(f).contains("\"direct:"))
                    .map(f -> main.relativize(f).toString())
                    .toList();
        }
        assertEquals(List.of(), offenders, "classes that write a direct: endpoint instead of naming it from Hops");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    private static ArchCondition<JavaClass> accessAFieldOfAnotherRouteClass() {
        return new ArchCondition<>("access a field of another route class") {
            @Override
            public void check(JavaClass route, ConditionEvents events) {
                for (JavaFieldAccess access : route.getFieldAccessesFromSelf()) {
                    JavaClass owner = access.getTargetOwner();
                    boolean otherRoute = owner.isAssignableTo(RouteBuilder.class) && !owner.equals(route)
                            && access.getTarget().resolveMember().map(JavaField::getOwner).isPresent();
                    if (otherRoute) {
                        events.add(SimpleConditionEvent.satisfied(route, access.getDescription()));
                    }
                }
            }
        };
    }
}
