package org.kindling.plugin.hub.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.kindling.plugin.HubException;
import org.kindling.plugin.PluginInfo;
import org.kindling.plugin.PluginManager;
import org.kindling.plugin.Workload;
import org.kindling.plugin.WorkloadDescriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Plugin state and installation. Installing means copying the jar into the deploy folder (atomically, so FileInstall
 * never sees half a jar under a {@code .jar} name) and waiting for FileInstall to install and start it; the reasons a
 * plugin does not work are read from the framework (unresolved requirements), from Declarative Services (activation
 * failures, missing references) and from the jar itself (corrupt or not a bundle).
 */
@Component(service = PluginManager.class)
public class PluginManagerImpl implements PluginManager {

    private static final long WAIT_MILLIS = 10_000;
    private static final String PACKAGE_NAMESPACE = BundleRevision.PACKAGE_NAMESPACE;

    @Reference
    private ServiceComponentRuntime scr;

    private BundleContext context;
    private Path deployDir;

    /**
     * With the framework property {@code kindling.plugins.sha256} naming a file of SHA-256 sums (hex, one per line,
     * {@code #} comments), {@link #install} and {@link #update} accept only jars listed there. The deploy folder
     * itself is the local operator's and is not checked.
     */
    private void checkAllowed(Path jar) {
        String list = context.getProperty("kindling.plugins.sha256");
        if (list == null || list.isBlank()) {
            return;
        }
        String sha;
        java.util.Set<String> allowed = new HashSet<>();
        try {
            for (String line : Files.readAllLines(Path.of(list))) {
                String entry = line.replaceAll("#.*", "").trim().toLowerCase(java.util.Locale.ROOT);
                if (!entry.isEmpty()) {
                    allowed.add(entry.split("\\s+")[0]);
                }
            }
            sha = Files2.sha256(jar);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "no such file: " + e.getFile());
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "cannot check " + jar + " against the allowlist " + list
                    + ": " + e);
        }
        if (!allowed.contains(sha)) {
            throw new HubException(HubException.Kind.CONFLICT, jar.getFileName() + " (sha256 " + sha
                    + ") is not in the plugin allowlist " + list);
        }
    }

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        String dir = context.getProperty("kindling.deploy.dir");
        if (dir == null) {
            dir = context.getProperty("felix.fileinstall.dir");
        }
        deployDir = dir == null ? null : Path.of(dir).toAbsolutePath().normalize();
    }

    @Override
    public List<PluginInfo> list() {
        List<PluginInfo> all = new ArrayList<>();
        Set<Path> installedFiles = new HashSet<>();
        for (Bundle b : context.getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            fileOf(b).ifPresent(installedFiles::add);
            try {
                all.add(info(b));
            } catch (IllegalStateException uninstalledMeanwhile) {
                // FileInstall uninstalled it while we looked: it is gone, so it is not listed
            }
        }
        for (Path file : deployFiles()) {
            if (!installedFiles.contains(file)) {
                all.add(new PluginInfo(-1, file.getFileName().toString(), "", "FAILED", file.toString(), List.of(),
                        whyNotInstalled(file)));
            }
        }
        all.sort(Comparator.comparing(PluginInfo::symbolicName).thenComparingLong(PluginInfo::bundleId));
        return all;
    }

    @Override
    public Optional<PluginInfo> get(String id) {
        return list().stream().filter(p -> p.symbolicName().equals(id) || Long.toString(p.bundleId()).equals(id))
                .findFirst();
    }

    @Override
    public PluginInfo install(Path jar) {
        checkAllowed(jar);
        BundleHeaders headers = headers(jar);
        Path target = deployedFileOf(headers.symbolicName()).orElse(deployDir().resolve(headers.symbolicName() + ".jar"));
        return deployAndWait(jar, target, headers);
    }

    @Override
    public PluginInfo update(String id, Path jar) {
        PluginInfo current = get(id).orElseThrow(() -> unknown(id));
        Path target = deployed(current);
        checkAllowed(jar);
        BundleHeaders headers = headers(jar);
        if (!headers.symbolicName().equals(current.symbolicName()) && current.bundleId() >= 0) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "jar " + jar + " is bundle '" + headers.symbolicName()
                    + "', not '" + current.symbolicName() + "': update replaces a plugin with a new version of itself");
        }
        return deployAndWait(jar, target, headers);
    }

    @Override
    public void uninstall(String id) {
        PluginInfo current = get(id).orElseThrow(() -> unknown(id));
        Path file = deployed(current);
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "cannot delete " + file + ": " + e);
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        while (current.bundleId() >= 0 && System.currentTimeMillis() < deadline) {
            Bundle b = context.getBundle(current.bundleId());
            if (b == null || b.getState() == Bundle.UNINSTALLED) {
                return;
            }
            sleep(50);
        }
        if (current.bundleId() >= 0) {
            throw new HubException(HubException.Kind.FAILED, "plugin " + id + " was still installed "
                    + WAIT_MILLIS / 1000 + " s after its jar was deleted from " + deployDir());
        }
    }

    private PluginInfo deployAndWait(Path jar, Path target, BundleHeaders headers) {
        Optional<Bundle> before = bundleAt(target);
        long beforeModified = before.map(Bundle::getLastModified).orElse(-1L);
        try {
            Files.createDirectories(target.getParent());
            Files2.copyAtomically(jar, target);
        } catch (IOException e) {
            throw new HubException(HubException.Kind.FAILED, "cannot copy " + jar + " to " + target + ": " + e);
        }
        long deadline = System.currentTimeMillis() + WAIT_MILLIS;
        PluginInfo previous = null;
        while (true) {
            Optional<Bundle> now = bundleAt(target);
            if (now.isPresent() && now.get().getLastModified() > beforeModified
                    && now.get().getVersion().toString().equals(headers.version())) {
                PluginInfo info;
                try {
                    info = info(now.get());
                } catch (IllegalStateException uninstalledMeanwhile) {
                    sleep(100);
                    continue;
                }
                boolean settled = (info.state().equals("ACTIVE") && componentsSettled(now.get()))
                        || settledWithFailure(now.get(), info);
                // SCR registers a bundle's services one by one on its own thread: answer once two polls agree.
                if ((settled && info.equals(previous)) || System.currentTimeMillis() > deadline) {
                    return info;
                }
                previous = settled ? info : null;
            } else if (System.currentTimeMillis() > deadline) {
                PluginInfo waiting = list().stream().filter(p -> p.location().equals(target.toString())
                        || p.location().endsWith(target.getFileName().toString())).findFirst().orElse(null);
                return waiting != null ? waiting : new PluginInfo(-1, headers.symbolicName(), headers.version(), "FAILED",
                        target.toString(), List.of(), "not installed " + WAIT_MILLIS / 1000 + " s after it was copied to "
                        + deployDir() + "; is FileInstall running?");
            }
            sleep(100);
        }
    }

    /**
     * True once Declarative Services has processed the bundle: every enabled component has a configuration, and
     * immediate ones are active or have failed (SCR activates them on its own thread after the bundle started).
     */
    private boolean componentsSettled(Bundle b) {
        if (b.getHeaders().get("Service-Component") == null) {
            return true;
        }
        java.util.Collection<ComponentDescriptionDTO> descriptions = scr.getComponentDescriptionDTOs(b);
        if (descriptions.isEmpty()) {
            return false;
        }
        for (ComponentDescriptionDTO d : descriptions) {
            if (!scr.isComponentEnabled(d)) {
                continue;
            }
            java.util.Collection<ComponentConfigurationDTO> configurations = scr.getComponentConfigurationDTOs(d);
            if (configurations.isEmpty()) {
                return false;
            }
            for (ComponentConfigurationDTO c : configurations) {
                if (d.immediate && c.state == ComponentConfigurationDTO.SATISFIED) {
                    return false;
                }
            }
        }
        return true;
    }

    /** True when the bundle will not become active by waiting: it cannot resolve, or it resolved and did not start. */
    private boolean settledWithFailure(Bundle b, PluginInfo info) {
        if (info.failure().isEmpty()) {
            return false;
        }
        if (b.getState() == Bundle.INSTALLED) {
            FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
            return !wiring.resolveBundles(Set.of(b));
        }
        return b.getState() != Bundle.STARTING;
    }

    private PluginInfo info(Bundle b) {
        List<String> workloads = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        ServiceReference<?>[] services = b.getRegisteredServices();
        if (services != null) {
            for (ServiceReference<?> ref : services) {
                String[] classes = (String[]) ref.getProperty(Constants.OBJECTCLASS);
                if (classes != null && List.of(classes).contains(Workload.class.getName())) {
                    Map<String, Object> props = new LinkedHashMap<>();
                    for (String k : ref.getPropertyKeys()) {
                        props.put(k, ref.getProperty(k));
                    }
                    try {
                        workloads.add(WorkloadDescriptor.fromProperties(props, b.getSymbolicName(), "").id());
                    } catch (IllegalArgumentException e) {
                        problems.add("workload service " + ref.getProperty(Constants.SERVICE_ID) + " is invalid: "
                                + e.getMessage());
                    }
                }
            }
        }
        String state = org.kindling.plugin.hub.internal.BundleState.name(b.getState());
        if (b.getState() == Bundle.INSTALLED) {
            List<String> missing = unresolvedImports(b);
            problems.add(missing.isEmpty() ? "installed, not resolved (yet)"
                    : "unresolved imports: " + String.join(", ", missing));
        } else if (b.getState() == Bundle.RESOLVED && b.getHeaders().get(Constants.FRAGMENT_HOST) == null
                && isPersistentlyStarted(b)) {
            problems.add("resolved but not active: its activator threw when it was started");
        } else if (b.getState() == Bundle.ACTIVE) {
            problems.addAll(componentProblems(b));
        }
        workloads.sort(null);
        return new PluginInfo(b.getBundleId(), String.valueOf(b.getSymbolicName()), b.getVersion().toString(), state,
                b.getLocation(), workloads, String.join("; ", problems));
    }

    private List<String> componentProblems(Bundle b) {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs(b)) {
            for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                if (c.state == ComponentConfigurationDTO.FAILED_ACTIVATION) {
                    String failure = c.failure == null ? "" : c.failure.lines().findFirst().orElse("");
                    problems.add("component " + d.name + " failed to activate: " + failure);
                } else if (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE) {
                    problems.add("component " + d.name + " waits for services: " + Stream.of(c.unsatisfiedReferences)
                            .map(r -> r.name + (r.target == null ? "" : " " + r.target)).collect(Collectors.joining(", ")));
                }
            }
        }
        return problems;
    }

    /** The non-optional package imports no exported package of any other bundle satisfies. */
    private List<String> unresolvedImports(Bundle b) {
        BundleRevision revision = b.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of();
        }
        List<BundleCapability> exported = new ArrayList<>();
        for (Bundle other : context.getBundles()) {
            BundleWiring wiring = other.adapt(BundleWiring.class);
            if (wiring != null) {
                exported.addAll(wiring.getCapabilities(PACKAGE_NAMESPACE));
            }
        }
        List<String> missing = new ArrayList<>();
        for (BundleRequirement req : revision.getDeclaredRequirements(PACKAGE_NAMESPACE)) {
            if ("optional".equals(req.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))) {
                continue;
            }
            String filterText = req.getDirectives().get(Constants.FILTER_DIRECTIVE);
            boolean satisfied = false;
            try {
                Filter filter = FrameworkUtil.createFilter(filterText);
                for (BundleCapability cap : exported) {
                    if (filter.matches(cap.getAttributes())) {
                        satisfied = true;
                        break;
                    }
                }
            } catch (InvalidSyntaxException e) {
                satisfied = false;
            }
            if (!satisfied) {
                missing.add(describeRequirement(filterText));
            }
        }
        return missing;
    }

    /** "(&amp;(osgi.wiring.package=a.b)(version&gt;=1.0.0)(!(version&gt;=2.0.0)))" to "a.b [1.0.0,2.0.0)". */
    static String describeRequirement(String filter) {
        if (filter == null) {
            return "?";
        }
        java.util.regex.Matcher name = java.util.regex.Pattern.compile("osgi\\.wiring\\.package=([^)]+)").matcher(filter);
        java.util.regex.Matcher low = java.util.regex.Pattern.compile("\\(version>=([^)]+)\\)").matcher(filter);
        java.util.regex.Matcher high = java.util.regex.Pattern.compile("\\(!\\(version>=([^)]+)\\)\\)").matcher(filter);
        if (!name.find()) {
            return filter;
        }
        String range = "";
        if (low.find()) {
            range = " [" + low.group(1) + "," + (high.find() ? high.group(1) + ")" : "\u221e)");
        }
        return name.group(1) + range;
    }

    private static boolean isPersistentlyStarted(Bundle b) {
        BundleStartLevel level = b.adapt(BundleStartLevel.class);
        return level != null && level.isPersistentlyStarted();
    }

    private String whyNotInstalled(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "not a bundle: the jar has no META-INF/MANIFEST.MF";
            }
            String bsn = manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                return "not a bundle: META-INF/MANIFEST.MF has no Bundle-SymbolicName";
            }
            String name = bsn.split(";")[0].trim();
            String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            for (Bundle b : context.getBundles()) {
                if (name.equals(b.getSymbolicName()) && b.getVersion().toString().equals(version == null ? "0.0.0" : version.trim())) {
                    return "not installed: bundle " + name + " " + b.getVersion() + " is already installed from "
                            + b.getLocation();
                }
            }
            return "not installed (yet): FileInstall installs new jars within a second; if this stays, the framework "
                    + "rejected the manifest (run with --verbose)";
        } catch (IOException e) {
            return "corrupt or partially copied jar: " + e.getMessage();
        }
    }

    private record BundleHeaders(String symbolicName, String version) {
    }

    private static BundleHeaders headers(Path jar) {
        if (!Files.isRegularFile(jar)) {
            throw new HubException(HubException.Kind.BAD_REQUEST, "no such file: " + jar);
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            String bsn = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            if (bsn == null) {
                throw new HubException(HubException.Kind.BAD_REQUEST, jar + " is not an OSGi bundle: "
                        + (manifest == null ? "no META-INF/MANIFEST.MF" : "no Bundle-SymbolicName in its manifest"));
            }
            String version = manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            return new BundleHeaders(bsn.split(";")[0].trim(),
                    org.osgi.framework.Version.parseVersion(version == null ? "0.0.0" : version.trim()).toString());
        } catch (IOException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, jar + " is not a readable jar (corrupt or partially "
                    + "copied): " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new HubException(HubException.Kind.BAD_REQUEST, jar + " has an invalid Bundle-Version: " + e.getMessage());
        }
    }

    private Path deployed(PluginInfo p) {
        if (p.bundleId() < 0) {
            return Path.of(p.location());
        }
        Bundle b = context.getBundle(p.bundleId());
        return Optional.ofNullable(b).flatMap(PluginManagerImpl::fileOf).filter(f -> f.startsWith(deployDir()))
                .orElseThrow(() -> new HubException(HubException.Kind.CONFLICT, "plugin " + p.symbolicName()
                        + " is part of the hub (installed from " + p.location() + "), not a plugin deployed in "
                        + deployDir()));
    }

    private Optional<Path> deployedFileOf(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                Optional<Path> f = fileOf(b).filter(p -> p.startsWith(deployDir()));
                if (f.isPresent()) {
                    return f;
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Bundle> bundleAt(Path file) {
        for (Bundle b : context.getBundles()) {
            if (fileOf(b).map(file::equals).orElse(false)) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    /** The file a bundle was installed from, for FileInstall's "file:" locations (and "reference:file:"). */
    static Optional<Path> fileOf(Bundle b) {
        String location = b.getLocation();
        int i = location.indexOf("file:");
        if (i < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(URI.create(location.substring(i))).toAbsolutePath().normalize());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private List<Path> deployFiles() {
        if (deployDir == null || !Files.isDirectory(deployDir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(deployDir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jar") && !p.getFileName().toString().startsWith("."))
                    .map(p -> p.toAbsolutePath().normalize()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            return List.of();
        }
    }

    private Path deployDir() {
        if (deployDir == null) {
            throw new HubException(HubException.Kind.FAILED, "the hub has no deploy folder (framework property "
                    + "kindling.deploy.dir or felix.fileinstall.dir)");
        }
        return deployDir;
    }

    private static HubException unknown(String id) {
        return new HubException(HubException.Kind.NOT_FOUND, "no plugin '" + id + "'");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Kind.FAILED, "interrupted while waiting for FileInstall");
        }
    }
}
