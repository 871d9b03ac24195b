package nl.lantaarn.audit.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import nl.lantaarn.audit.api.AuditEntry;
import nl.lantaarn.audit.api.AuditKind;
import nl.lantaarn.audit.api.AuditTrail;

/**
 * Records every bundle installed, upgraded or removed while the hub runs (adapter bundles dropped in {@code deploy/}
 * or sent to {@code POST /api/v1/adapters/bundles}) as an {@code adapter-install} entry naming the bundle, its
 * version (before and after an upgrade) and where it came from. Bundles the hub starts with are not changes.
 */
@Component(immediate = true, service = {})
public final class BundleAudit implements BundleListener {

    private final AuditTrail trail;
    private final BundleContext context;
    private final Map<Long, String> versions = new ConcurrentHashMap<>();

    @Activate
    public BundleAudit(BundleContext context, @Reference AuditTrail trail) {
        this.context = context;
        this.trail = trail;
        context.addBundleListener(this);
        for (Bundle bundle : context.getBundles()) {
            versions.put(bundle.getBundleId(), bundle.getVersion().toString());
        }
    }

    @Deactivate
    void close() {
        context.removeBundleListener(this);
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        String version = bundle.getVersion().toString();
        String outcome;
        String detail;
        switch (event.getType()) {
            case BundleEvent.INSTALLED -> {
                versions.put(bundle.getBundleId(), version);
                outcome = "installed";
                detail = bundle.getSymbolicName() + " " + version + " installed";
            }
            case BundleEvent.UPDATED -> {
                String before = versions.put(bundle.getBundleId(), version);
                outcome = "upgraded";
                detail = bundle.getSymbolicName() + " " + (before == null ? "" : before + " -> ") + version
                        + " updated";
            }
            case BundleEvent.UNINSTALLED -> {
                versions.remove(bundle.getBundleId());
                outcome = "removed";
                detail = bundle.getSymbolicName() + " " + version + " uninstalled";
            }
            default -> {
                return;
            }
        }
        trail.record(new AuditEntry(AuditKind.ADAPTER_INSTALL, "operator", "", location(bundle.getLocation()), "",
                outcome, detail));
    }

    /** {@code deploy/<file>.jar} for FileInstall's locations, the location as it is for others. */
    static String location(String location) {
        int deploy = location.lastIndexOf("/deploy/");
        return deploy >= 0 ? location.substring(deploy + 1) : location;
    }
}
