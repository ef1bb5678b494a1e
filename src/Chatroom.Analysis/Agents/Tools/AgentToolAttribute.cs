namespace Chatroom.Analysis.Agents.Tools;

/// <summary>
/// Marks a method of <see cref="AgentToolbox"/> as the agent tool <paramref name="name"/> (the name agent definitions list);
/// <see cref="ToolGate"/> finds the marked methods and declares them to models.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class AgentToolAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
