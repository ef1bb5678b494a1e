using Microsoft.Data.Sqlite;

namespace Chatroom.Embedded.Sqlite;

/// <summary>Parameters of commands that are run more than once (<see cref="SqliteDatabase.Prepared"/>).</summary>
internal static class SqliteParameters
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> (null is SQL NULL), adding the parameter the first time.</summary>
    public static SqliteCommand Set(this SqliteCommand command, string name, object? value)
    {
        var index = command.Parameters.IndexOf(name);
        if (index < 0)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            command.Parameters[index].Value = value ?? DBNull.Value;
        }

        return command;
    }
}
