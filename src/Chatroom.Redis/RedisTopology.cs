using StackExchange.Redis;

namespace Chatroom.Redis;

/// <summary>Whether the multiplexer talks to a cluster: decides sharded channels and what one script may touch.</summary>
internal sealed class RedisTopology(IConnectionMultiplexer redis)
{
    private bool? _isCluster;

    /// <summary>Known once a server has answered; until then nothing can be sent anyway (commands fail fast).</summary>
    public bool IsCluster()
    {
        if (_isCluster is { } known)
        {
            return known;
        }

        foreach (var server in redis.GetServers())
        {
            if (server.IsConnected)
            {
                _isCluster = server.ServerType == ServerType.Cluster;
                return _isCluster.Value;
            }
        }

        return false;
    }

    /// <summary>True when the server at <paramref name="endPoint"/> speaks RESP3 (pub/sub then rides the interactive connection).</summary>
    public static bool IsResp3(IConnectionMultiplexer redis, System.Net.EndPoint? endPoint)
    {
        try
        {
            return endPoint is not null && redis.GetServer(endPoint).Protocol is RedisProtocol.Resp3;
        }
        catch (Exception e) when (e is ArgumentException or RedisException)
        {
            return false;
        }
    }
}
