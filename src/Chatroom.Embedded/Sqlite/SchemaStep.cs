namespace Chatroom.Embedded.Sqlite;

/// <summary>
/// One store's part of a schema version: <paramref name="Sql"/> runs when the file's <c>PRAGMA user_version</c> moves
/// to <paramref name="Version"/>. Stores sharing a file share its version numbers, so a new step takes the number after
/// the highest any of them uses, and a step once released never changes: files in the field are already past it.
/// </summary>
public sealed record SchemaStep(int Version, string Sql)
{
    /// <summary>
    /// The SQL of versions 1, 2, … in order: the steps of one version (from several stores) joined into one script, in
    /// the order given, so one transaction applies the whole version as it did before the stores kept their own steps.
    /// </summary>
    public static IReadOnlyList<string> ByVersion(IEnumerable<SchemaStep> steps)
    {
        var versions = steps.GroupBy(s => s.Version).OrderBy(g => g.Key).ToList();
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i].Key != i + 1)
            {
                throw new InvalidOperationException(
                    $"Schema versions must run 1, 2, 3, … without gaps; version {i + 1} is missing (next found: {versions[i].Key}).");
            }
        }

        return versions.Select(g => string.Join(";\n", g.Select(s => s.Sql.Trim().TrimEnd(';')))).ToList();
    }
}
