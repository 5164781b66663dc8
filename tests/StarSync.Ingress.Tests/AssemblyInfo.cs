using StarSync.Testing;

// One private PostgreSQL (and RabbitMQ) for the whole assembly; the star poller tests take a fresh database each.
[assembly: AssemblyFixture(typeof(TestServers))]
