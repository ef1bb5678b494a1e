using System.ComponentModel.DataAnnotations;

namespace Chatroom.Embedded;

/// <summary><c>Chatroom</c> keys of the embedded backends.</summary>
public sealed class EmbeddedOptions
{
    public const string Section = "Chatroom";

    /// <summary>Folder of the SQLite database and other embedded data.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Chatroom:DataDirectory must name a folder.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite <c>synchronous</c>: FULL makes an acknowledged message survive power loss, NORMAL only a crash.</summary>
    [RegularExpression("^(FULL|NORMAL|EXTRA)$", ErrorMessage = "Chatroom:SqliteSynchronous must be FULL, NORMAL or EXTRA.")]
    public string SqliteSynchronous { get; set; } = "FULL";
}
