package io.github.namedsem;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of the built library form layers without cycles, as {@code jdeps} sees the class
 * files. The public package counts as two nodes: its API types (exceptions, kinds, options:
 * whatever needs no internal package, even indirectly), which every layer may throw or take,
 * at the bottom; and its handle classes ({@code NamedSemaphore}, {@code Permit}, whatever
 * reaches an internal package), at the top.
 */
class LayeringTest {
    private static final String ROOT = "io.github.namedsem";
    private static final String INTERNAL = ROOT + ".internal";
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+\\S+\\s*$");

    /** Class-level dependencies among the library's own classes: from, to. */
    private static Map<String, Set<String>> classDependencies;

    @BeforeAll
    static void runJdeps() {
        Path classes = Path.of(System.getProperty("namedsem.test.mainClasses"));
        assertThat(Files.isDirectory(classes.resolve("io/github/namedsem"))).as("built classes in %s", classes).isTrue();
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError(
                "jdeps is not available: run the tests on a full JDK (module jdk.jdeps)"));
        var out = new StringWriter();
        var err = new StringWriter();
        int status = jdeps.run(new PrintWriter(out), new PrintWriter(err),
                "-verbose:class", "-filter:none", classes.toString());
        assertThat(status).as("jdeps exit status; stderr: %s", err).isZero();
        classDependencies = new TreeMap<>();
        for (String line : out.toString().split("\\R")) {
            Matcher m = DEPENDENCY.matcher(line);
            if (m.matches() && m.group(2).startsWith(ROOT + ".")) {
                classDependencies.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
            }
        }
        assertThat(classDependencies).as("jdeps output parsed:%n%s", out).containsKey(ROOT + ".NamedSemaphore");
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    private static boolean isInternal(String pkg) {
        return pkg.equals(INTERNAL) || pkg.startsWith(INTERNAL + ".");
    }

    /** The public package's classes that reach an internal package, directly or through one another. */
    private static Set<String> handleClasses() {
        Set<String> handles = new TreeSet<>();
        for (boolean grew = true; grew; ) {
            grew = false;
            for (var e : classDependencies.entrySet()) {
                if (packageOf(e.getKey()).equals(ROOT) && !handles.contains(e.getKey())
                        && e.getValue().stream().anyMatch(to -> isInternal(packageOf(to)) || handles.contains(to))) {
                    grew |= handles.add(e.getKey());
                }
            }
        }
        return handles;
    }

    /** The node of the package graph a class belongs to. */
    private static String nodeOf(String className, Set<String> handles) {
        String pkg = packageOf(className);
        if (!pkg.equals(ROOT)) {
            return pkg;
        }
        return handles.contains(className) ? ROOT + " (handles)" : ROOT + " (API types)";
    }

    @Test
    void thePackageGraphHasNoCycle() {
        Set<String> handles = handleClasses();
        assertThat(handles).as("the public package's handle classes")
                .contains(ROOT + ".NamedSemaphore", ROOT + ".Permit");
        assertThat(handles).as("exceptions, kinds and options need no internal package")
                .doesNotContain(ROOT + ".NamedSemaphoreException", ROOT + ".SemaphoreKind", ROOT + ".SemaphoreOptions");

        // Node graph, each edge with one class dependency that makes it, for the message.
        Map<String, Map<String, String>> graph = new TreeMap<>();
        classDependencies.forEach((from, tos) -> tos.forEach(to -> {
            String a = nodeOf(from, handles);
            String b = nodeOf(to, handles);
            if (!a.equals(b)) {
                graph.computeIfAbsent(a, k -> new TreeMap<>()).putIfAbsent(b, from + " -> " + to);
            }
        }));
        List<String> cycles = cycles(graph);
        assertThat(cycles).as("package cycles (graph: %s)", graph.keySet()).isEmpty();
    }

    @Test
    void theWin32BindingsDependOnNoInternalPackageButThePlatformLayer() {
        Set<String> reached = new TreeSet<>();
        classDependencies.forEach((from, tos) -> {
            if (packageOf(from).equals(ROOT + ".windows")) {
                tos.stream().filter(to -> isInternal(packageOf(to)) && !packageOf(to).equals(INTERNAL + ".platform"))
                        .forEach(to -> reached.add(from + " -> " + to));
            }
        });
        assertThat(reached).as("io.github.namedsem.windows may use only io.github.namedsem.internal.platform").isEmpty();
    }

    @Test
    void theCycleFinderFindsACycle() {
        Map<String, Map<String, String>> graph = Map.of(
                "a", Map.of("b", "A -> B"), "b", Map.of("c", "B -> C"), "c", Map.of("a", "C -> A", "d", "C -> D"));
        assertThat(cycles(graph)).singleElement().asString()
                .contains("A -> B").contains("B -> C").contains("C -> A").doesNotContain("C -> D");
        assertThat(cycles(Map.of("a", Map.of("b", "A -> B"), "b", Map.of("c", "B -> C")))).isEmpty();
    }

    /**
     * One cycle per strongly connected component of more than one node (Tarjan's algorithm),
     * each spelled out with the class dependencies along it.
     */
    static List<String> cycles(Map<String, Map<String, String>> graph) {
        Set<String> nodes = new TreeSet<>(graph.keySet());
        graph.values().forEach(m -> nodes.addAll(m.keySet()));
        var tarjan = new Object() {
            int counter;
            final Map<String, Integer> index = new HashMap<>();
            final Map<String, Integer> low = new HashMap<>();
            final Deque<String> stack = new ArrayDeque<>();
            final Set<String> onStack = new HashSet<>();
            final List<Set<String>> components = new ArrayList<>();

            void visit(String v) {
                index.put(v, counter);
                low.put(v, counter++);
                stack.push(v);
                onStack.add(v);
                for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
                    if (!index.containsKey(w)) {
                        visit(w);
                        low.put(v, Math.min(low.get(v), low.get(w)));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                }
                if (low.get(v).equals(index.get(v))) {
                    Set<String> component = new TreeSet<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    if (component.size() > 1) {
                        components.add(component);
                    }
                }
            }
        };
        for (String v : nodes) {
            if (!tarjan.index.containsKey(v)) {
                tarjan.visit(v);
            }
        }
        List<String> cycles = new ArrayList<>();
        for (Set<String> component : tarjan.components) {
            cycles.add(pathAround(graph, component));
        }
        return cycles;
    }

    /** A closed walk through a strongly connected component, found breadth-first from its first node. */
    private static String pathAround(Map<String, Map<String, String>> graph, Set<String> component) {
        String start = component.iterator().next();
        Map<String, String> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        String last = null;
        while (last == null && !queue.isEmpty()) {
            String v = queue.poll();
            for (String w : graph.getOrDefault(v, Map.of()).keySet()) {
                if (w.equals(start)) {
                    last = v;
                    break;
                }
                if (component.contains(w) && !cameFrom.containsKey(w)) {
                    cameFrom.put(w, v);
                    queue.add(w);
                }
            }
        }
        List<String> steps = new ArrayList<>();
        steps.add(graph.get(last).get(start));
        for (String v = last; !v.equals(start); v = cameFrom.get(v)) {
            steps.addFirst(graph.get(cameFrom.get(v)).get(v));
        }
        return String.join(", then ", steps);
    }
}
