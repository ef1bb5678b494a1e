namespace Chatroom.AppHost.Tests;

/// <summary>What the AppHost wires, per switch, read from its model without starting anything.</summary>
public sealed class AppHostModelTests
{
    [Fact]
    public async Task DefaultsRunEveryBackendAsAContainerAndEveryServiceApart()
    {
        await using var model = await AppHostModel.CreateAsync();

        Assert.Equivalent(
            new[] { "signing-key", "admin-password", "redis", "ollama", "analysis-model", "reasoning-model", "safety-model", "milvus-key", "milvus-server", "milvus",
                "postgres-password", "postgres", "accounts", "accounts-migration", "api", "socketserver", "analysis", "web" },
            model.Names.ToArray());
        Assert.IsType<RedisResource>(model.Get<IResource>("redis"));
        Assert.Contains(model.Get<RedisResource>("redis").Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/data");
        Assert.False(model.Has("chatroom"));
    }

    [Fact]
    public async Task SocketServersRunAsTwoReplicasUnlessConfigured()
    {
        await using var defaults = await AppHostModel.CreateAsync();
        await using var four = await AppHostModel.CreateAsync("SocketServer:Replicas=4");

        Assert.Equal(2, defaults.Get<ProjectResource>("socketserver").GetReplicaCount());
        Assert.Equal(4, four.Get<ProjectResource>("socketserver").GetReplicaCount());
        Assert.Equal(1, defaults.Get<ProjectResource>("api").GetReplicaCount());
    }

    [Fact]
    public async Task ModelsAreConnectionStringsOnTheOllamaContainerWithItsModelsVolume()
    {
        await using var model = await AppHostModel.CreateAsync("Ollama:AnalysisModel=llama3.2:1b", "Ollama:ReasoningModel=qwen3:14b");

        var ollama = model.Get<ContainerResource>("ollama");
        Assert.Equal("ollama/ollama", ollama.Annotations.OfType<ContainerImageAnnotation>().Single().Image);
        Assert.Contains(ollama.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/root/.ollama" && m.Source == "chatroom-ollama-models");
        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=llama3.2:1b",
            model.Get<IResourceWithConnectionString>("analysis-model").ConnectionStringExpression.ValueExpression);
        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=qwen3:14b",
            model.Get<IResourceWithConnectionString>("reasoning-model").ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task ModelsBecomeHealthyOnlyOnceOllamaHasThem()
    {
        await using var model = await AppHostModel.CreateAsync();

        Assert.Contains(model.Get<IResource>("analysis-model").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "analysis-model-pulled");
        Assert.Contains(model.Get<IResource>("reasoning-model").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "reasoning-model-pulled");
        Assert.NotEmpty(model.Get<IResource>("ollama").Annotations.OfType<HealthCheckAnnotation>());
    }

    [Fact]
    public async Task TheSafetyModelIsPulledAndWiredLikeTheAnalysisModel_AndOneSwitchTurnsItOff()
    {
        await using var model = await AppHostModel.CreateAsync();

        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=llama-guard3:1b",
            model.Get<IResourceWithConnectionString>("safety-model").ConnectionStringExpression.ValueExpression);
        Assert.Contains(model.Get<IResource>("safety-model").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "safety-model-pulled");
        Assert.Equal("{safety-model.connectionString}", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("analysis")))["ConnectionStrings__safety-model"]);
        Assert.False(model.Has("policy-model"));

        await using var bigger = await AppHostModel.CreateAsync("Ollama:SafetyModel=llama-guard3:8b", "Ollama:PolicyModel=gpt-oss-safeguard:20b");
        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=llama-guard3:8b",
            bigger.Get<IResourceWithConnectionString>("safety-model").ConnectionStringExpression.ValueExpression);
        Assert.Equal("Endpoint={ollama.bindings.http.url};Model=gpt-oss-safeguard:20b",
            bigger.Get<IResourceWithConnectionString>("policy-model").ConnectionStringExpression.ValueExpression);
        Assert.Contains("policy-model", AppHostModel.Waits(bigger.Get<ProjectResource>("analysis")));

        await using var off = await AppHostModel.CreateAsync("Ollama:SafetyModel=none");
        Assert.False(off.Has("safety-model"));
        Assert.DoesNotContain("ConnectionStrings__safety-model", (await AppHostModel.EnvironmentAsync(off.Get<ProjectResource>("analysis"))).Keys);
        Assert.True(off.Has("analysis-model"));
    }

    [Fact]
    public async Task AnExternalServersSafetyModelIsUsedOnlyWhenItsConnectionStringIsGiven()
    {
        string[] external = ["Ollama:Mode=external", "ConnectionStrings:analysis-model=Endpoint=http://gpu-box:11434;Model=qwen2.5:1.5b",
            "ConnectionStrings:reasoning-model=Endpoint=http://gpu-box:11434;Model=qwen2.5:32b"];
        await using var without = await AppHostModel.CreateAsync(external);
        await using var with = await AppHostModel.CreateAsync([.. external, "ConnectionStrings:safety-model=Endpoint=http://gpu-box:11434;Model=llama-guard3:8b"]);

        Assert.False(without.Has("safety-model"));
        Assert.Equal("Endpoint=http://gpu-box:11434;Model=llama-guard3:8b", await with.Get<IResourceWithConnectionString>("safety-model").GetConnectionStringAsync());
        Assert.Equal("{safety-model.connectionString}", (await AppHostModel.EnvironmentAsync(with.Get<ProjectResource>("analysis")))["ConnectionStrings__safety-model"]);
    }

    [Theory]
    [InlineData(new string[0], null)]
    [InlineData(new[] { "Ollama:Gpu=true" }, "--gpus all")]
    [InlineData(new[] { "Ollama:Gpu=true", "ASPIRE_CONTAINER_RUNTIME=podman" }, "--device nvidia.com/gpu=all")]
    public async Task GpuArgumentsOnlyWhenAsked(string[] args, string? expected)
    {
        await using var model = await AppHostModel.CreateAsync(args);

        var ollama = model.Get<ContainerResource>("ollama");
        var runtimeArgs = new List<object>();
        foreach (var callback in ollama.Annotations.OfType<ContainerRuntimeArgsCallbackAnnotation>())
        {
            await callback.Callback(new ContainerRuntimeArgsCallbackContext(runtimeArgs));
        }

        Assert.Equal(expected, runtimeArgs.Count == 0 ? null : string.Join(' ', runtimeArgs));
    }

    [Fact]
    public async Task MilvusHasAGeneratedSecretRootPasswordAHealthCheckAndAVolume()
    {
        await using var model = await AppHostModel.CreateAsync();

        var key = model.Get<ParameterResource>("milvus-key");
        Assert.True(key.Secret);
        var server = model.Get<ContainerResource>("milvus-server");
        Assert.Contains(server.Annotations.OfType<ContainerMountAnnotation>(), m => m.Target == "/var/lib/milvus");
        Assert.NotEmpty(server.Annotations.OfType<HealthCheckAnnotation>());
        Assert.Equal("{milvus-key.value}", (await AppHostModel.EnvironmentAsync(server))["COMMON_SECURITY_DEFAULTROOTPASSWORD"]);
        Assert.Equal("Endpoint={milvus-server.bindings.grpc.url};Key=root:{milvus-key.value}",
            model.Get<IResourceWithConnectionString>("milvus").ConnectionStringExpression.ValueExpression);
    }

    [Fact]
    public async Task EachServiceGetsItsConnectionStringsAndTheSigningKeyAndOnlyTheApiTheAdminPassword()
    {
        await using var model = await AppHostModel.CreateAsync();

        foreach (var name in new[] { "api", "socketserver", "analysis", "web" })
        {
            var env = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>(name));
            Assert.Equal("{signing-key.value}", env["Chatroom__Auth__SigningKey"]);
        }

        // Only the API signs the admin in, as in the Helm chart; the other services never see the password.
        Assert.Equal("{admin-password.value}", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("api")))["Chatroom__Admin__Password"]);
        foreach (var name in new[] { "socketserver", "analysis", "web" })
        {
            Assert.DoesNotContain("Chatroom__Admin__Password", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>(name))).Keys);
        }

        foreach (var name in new[] { "api", "socketserver", "analysis" })
        {
            Assert.Equal("{redis.connectionString}", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>(name)))["ConnectionStrings__redis"]);
        }

        var analysis = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("analysis"));
        Assert.Equal("{analysis-model.connectionString}", analysis["ConnectionStrings__analysis-model"]);
        Assert.Equal("{reasoning-model.connectionString}", analysis["ConnectionStrings__reasoning-model"]);
        Assert.Equal("{milvus.connectionString}", analysis["ConnectionStrings__milvus"]);

        var api = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("api"));
        Assert.DoesNotContain("ConnectionStrings__analysis-model", api.Keys);
        Assert.True(model.Get<ParameterResource>("signing-key").Secret);
        Assert.True(model.Get<ParameterResource>("admin-password").Secret);
    }

    [Fact]
    public async Task TheWebFrontDoorFindsTheOtherServicesAndIsTheOnlyExternalOne()
    {
        await using var model = await AppHostModel.CreateAsync();

        var web = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("web"));
        Assert.Equal("true", web["Chatroom__Web__Gateway__Enabled"]);
        Assert.Equal("{api.bindings.http.url}", web["services__api__http__0"]);
        Assert.Equal("{socketserver.bindings.http.url}", web["services__socketserver__http__0"]);
        Assert.Equal("{analysis.bindings.http.url}", web["services__analysis__http__0"]);
        Assert.True(model.Get<ProjectResource>("web").Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
        Assert.False(model.Get<ProjectResource>("api").Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
    }

    [Fact]
    public async Task ServicesWaitForTheirBackendsAndReportHealth()
    {
        await using var model = await AppHostModel.CreateAsync();

        Assert.Equivalent(new[] { "redis", "accounts-migration" }, AppHostModel.Waits(model.Get<ProjectResource>("api")));
        Assert.Equivalent(new[] { "redis" }, AppHostModel.Waits(model.Get<ProjectResource>("socketserver")));
        Assert.Equivalent(new[] { "redis", "analysis-model", "reasoning-model", "safety-model", "milvus" }, AppHostModel.Waits(model.Get<ProjectResource>("analysis")));
        Assert.Equivalent(new[] { "api", "socketserver", "analysis" }, AppHostModel.Waits(model.Get<ProjectResource>("web")));
        Assert.Contains("milvus-server", AppHostModel.Waits(model.Get<IResource>("milvus")));
        foreach (var name in new[] { "api", "socketserver", "analysis", "web" })
        {
            Assert.NotEmpty(model.Get<ProjectResource>(name).Annotations.OfType<HealthCheckAnnotation>());
        }
    }

    [Fact]
    public async Task OllamaNoneLeavesAnalysisOnItsEmbeddedModels()
    {
        await using var model = await AppHostModel.CreateAsync("Ollama:Mode=none");

        Assert.False(model.Has("ollama"));
        Assert.False(model.Has("analysis-model"));
        var analysis = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("analysis"));
        Assert.DoesNotContain("ConnectionStrings__analysis-model", analysis.Keys);
        Assert.Contains("ConnectionStrings__milvus", analysis.Keys);
    }

    [Fact]
    public async Task ExternalModelsComeFromTheAppHostsConnectionStrings()
    {
        await using var model = await AppHostModel.CreateAsync(
            "Ollama:Mode=external",
            "ConnectionStrings:analysis-model=Endpoint=http://gpu-box:11434;Model=qwen2.5:1.5b",
            "ConnectionStrings:reasoning-model=Endpoint=http://gpu-box:11434;Model=qwen2.5:32b");

        Assert.False(model.Has("ollama"));
        Assert.Equal("Endpoint=http://gpu-box:11434;Model=qwen2.5:32b",
            await model.Get<IResourceWithConnectionString>("reasoning-model").GetConnectionStringAsync());
        var analysis = await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("analysis"));
        Assert.Equal("{analysis-model.connectionString}", analysis["ConnectionStrings__analysis-model"]);
    }

    [Fact]
    public async Task ExistingRedisAndMilvusAreUsedAsGiven()
    {
        await using var model = await AppHostModel.CreateAsync(
            "Redis:Mode=existing", "ConnectionStrings:redis=redis.internal:6379,password=x",
            "Milvus:Mode=existing", "ConnectionStrings:milvus=Endpoint=http://milvus.internal:19530;Key=root:y",
            "Postgres:Mode=existing", "ConnectionStrings:accounts=Host=pg.internal;Database=accounts;Username=chat;Password=z");

        Assert.IsNotType<RedisResource>(model.Get<IResource>("redis"));
        Assert.False(model.Has("milvus-server"));
        Assert.DoesNotContain(model.Resources, r => r is ContainerResource && r.Name != "ollama");
        Assert.Equal("{redis.connectionString}", (await AppHostModel.EnvironmentAsync(model.Get<ProjectResource>("api")))["ConnectionStrings__redis"]);
    }

    [Fact]
    public async Task NoContainersRunsTheServicesOnTheRedisYouPointItAt()
    {
        await using var model = await AppHostModel.CreateAsync("Chatroom:Containers=false", "ConnectionStrings:redis=127.0.0.1:6379");

        Assert.DoesNotContain(model.Resources, r => r is ContainerResource);
        Assert.Equivalent(new[] { "signing-key", "admin-password", "redis", "api", "socketserver", "analysis", "web" }, model.Names.ToArray());
        Assert.Equivalent(new[] { "redis" }, AppHostModel.Waits(model.Get<ProjectResource>("analysis")));
    }

    [Fact]
    public async Task NoContainersAndNoRedisRunsEverythingInOneEmbeddedProcess()
    {
        await using var model = await AppHostModel.CreateAsync("Chatroom:Containers=false");

        Assert.Equivalent(new[] { "signing-key", "admin-password", "chatroom" }, model.Names.ToArray());
        var chatroom = model.Get<ProjectResource>("chatroom");
        Assert.True(chatroom.Annotations.OfType<EndpointAnnotation>().Single().IsExternal);
        Assert.DoesNotContain("ConnectionStrings__redis", (await AppHostModel.EnvironmentAsync(chatroom)).Keys);
    }

    [Theory]
    [InlineData("Ollama:Mode=sometimes", "Ollama:Mode must be container, external or none")]
    [InlineData("Redis:Mode=existing", "Redis:Mode=existing needs ConnectionStrings:redis")]
    [InlineData("Ollama:Mode=external", "Ollama:Mode=external needs ConnectionStrings:analysis-model")]
    [InlineData("SocketServer:Replicas=0", "SocketServer:Replicas must be between 1 and 16")]
    public async Task RefusesSwitchesThatCannotWork(string arg, string message)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => AppHostModel.CreateAsync(arg));

        Assert.Contains(message, Flatten(error));
    }

    private static string Flatten(Exception e) => e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
