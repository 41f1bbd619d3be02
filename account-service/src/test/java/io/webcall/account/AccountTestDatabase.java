package io.webcall.account;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.webcall.infra.test.PostgresTestResource;

/**
 * Every test of the service runs against a real PostgreSQL (embedded, or a container where Docker
 * exists), database {@code account}. Declared once here; Quarkus applies it to all tests.
 */
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "account"))
public final class AccountTestDatabase {

    private AccountTestDatabase() {
    }
}
