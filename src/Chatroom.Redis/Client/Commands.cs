namespace Chatroom.Redis.Client;

/// <summary>The commands and keywords the client sends, encoded once.</summary>
internal static class Commands
{
    public static readonly CommandName Hello = new("HELLO");
    public static readonly CommandName Auth = new("AUTH");
    public static readonly CommandName Select = new("SELECT");
    public static readonly CommandName Ping = new("PING");
    public static readonly CommandName Asking = new("ASKING");
    public static readonly CommandName Cluster = new("CLUSTER");
    public static readonly CommandName Get = new("GET");
    public static readonly CommandName Set = new("SET");
    public static readonly CommandName Del = new("DEL");
    public static readonly CommandName Exists = new("EXISTS");
    public static readonly CommandName HSet = new("HSET");
    public static readonly CommandName HSetNx = new("HSETNX");
    public static readonly CommandName HGet = new("HGET");
    public static readonly CommandName HGetAll = new("HGETALL");
    public static readonly CommandName HDel = new("HDEL");
    public static readonly CommandName HLen = new("HLEN");
    public static readonly CommandName SAdd = new("SADD");
    public static readonly CommandName SRem = new("SREM");
    public static readonly CommandName SMembers = new("SMEMBERS");
    public static readonly CommandName XAdd = new("XADD");
    public static readonly CommandName XRange = new("XRANGE");
    public static readonly CommandName XRevRange = new("XREVRANGE");
    public static readonly CommandName XLen = new("XLEN");
    public static readonly CommandName XDel = new("XDEL");
    public static readonly CommandName XAck = new("XACK");
    public static readonly CommandName XGroup = new("XGROUP");
    public static readonly CommandName XReadGroup = new("XREADGROUP");
    public static readonly CommandName Eval = new("EVAL");
    public static readonly CommandName EvalSha = new("EVALSHA");
    public static readonly CommandName Publish = new("PUBLISH");
    public static readonly CommandName SPublish = new("SPUBLISH");
    public static readonly CommandName Subscribe = new("SUBSCRIBE");
    public static readonly CommandName Unsubscribe = new("UNSUBSCRIBE");
    public static readonly CommandName SSubscribe = new("SSUBSCRIBE");
    public static readonly CommandName SUnsubscribe = new("SUNSUBSCRIBE");

    public static readonly CommandName Px = new("PX");
    public static readonly CommandName Nx = new("NX");
    public static readonly CommandName MaxLen = new("MAXLEN");
    public static readonly CommandName Approximately = new("~");
    public static readonly CommandName Count = new("COUNT");
    public static readonly CommandName Block = new("BLOCK");
    public static readonly CommandName Group = new("GROUP");
    public static readonly CommandName Streams = new("STREAMS");
    public static readonly CommandName Create = new("CREATE");
    public static readonly CommandName MkStream = new("MKSTREAM");
    public static readonly CommandName Shards = new("SHARDS");
    public static readonly CommandName Slots = new("SLOTS");
}
