using StarSync.Testing;

// One private PostgreSQL and RabbitMQ for the assembly; every test gets its own database and virtual host.
[assembly: AssemblyFixture(typeof(TestServers))]
