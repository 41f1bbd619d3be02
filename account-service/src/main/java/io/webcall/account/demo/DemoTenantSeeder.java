package io.webcall.account.demo;

import io.quarkus.runtime.StartupEvent;
import io.webcall.account.config.AccountConfig;
import io.webcall.account.tenant.PbxTrunkRequest;
import io.webcall.account.tenant.Tenant;
import io.webcall.account.tenant.TenantCreateRequest;
import io.webcall.account.tenant.TenantPatchRequest;
import io.webcall.account.tenant.TenantService;
import io.webcall.account.user.SipUser;
import io.webcall.account.user.UserCreateRequest;
import io.webcall.account.user.UserPatchRequest;
import io.webcall.account.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * With {@code webcall.demo.enabled}, makes sure the demo tenant and its users exist at start, with
 * the configured password and PBX trunk (so a changed {@code --pbx} of the local stack applies).
 */
@ApplicationScoped
public class DemoTenantSeeder {

    private static final Logger LOG = Logger.getLogger(DemoTenantSeeder.class);

    private final AccountConfig.Demo demo;
    private final TenantService tenants;
    private final UserService users;

    public DemoTenantSeeder(AccountConfig config, TenantService tenants, UserService users) {
        this.demo = config.demo();
        this.tenants = tenants;
        this.users = users;
    }

    void onStart(@Observes StartupEvent event) {
        if (demo.enabled()) {
            QuarkusTransaction.requiringNew().run(this::seed);
        }
    }

    void seed() {
        PbxTrunkRequest pbx = "none".equals(demo.pbxUri()) ? null : new PbxTrunkRequest(demo.pbxUri(), demo.pbxTransport(), null, null);
        Tenant tenant = Tenant.findByDomain(demo.domain()).orElse(null);
        if (tenant == null) {
            tenant = tenants.create(new TenantCreateRequest(demo.name(), demo.domain(), "active", pbx));
        } else {
            TenantPatchRequest patch = new TenantPatchRequest();
            patch.setPbx(pbx);
            patch.setStatus("active");
            tenant = tenants.patch(tenant.id, patch);
        }
        for (String username : demo.users()) {
            String name = username.strip();
            if (SipUser.findByUsername(tenant.id, name).isPresent()) {
                users.patch(tenant, name, new UserPatchRequest(null, demo.password(), true));
            } else {
                users.create(tenant, new UserCreateRequest(name, capitalized(name), demo.password(), true));
            }
        }
        LOG.infof("demo tenant %s (%s) ready with users %s, PBX %s", tenant.domain, tenant.id, demo.users(),
                pbx == null ? "none" : pbx.uri());
    }

    private static String capitalized(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
