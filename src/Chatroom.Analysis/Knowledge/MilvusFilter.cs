using System.Linq.Expressions;
using System.Text;
using System.Text.Json;

namespace Chatroom.Analysis.Knowledge;

/// <summary>
/// Translates VectorData filters on <see cref="VectorRecord"/> into Milvus boolean expressions: <c>==</c> and <c>!=</c>
/// between a record property (Id, DocumentId, Title, Text) and a value (a constant or a captured variable), combined
/// with <c>&amp;&amp;</c>, <c>||</c> and <c>!</c>. Anything else is refused with <see cref="NotSupportedException"/>.
/// </summary>
public static class MilvusFilter
{
    public static string Translate(Expression<Func<VectorRecord, bool>> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var text = new StringBuilder();
        Write(filter.Body, filter.Parameters[0], text);
        return text.ToString();
    }

    /// <summary><c>id in ["a", "b"]</c>.</summary>
    public static string IdIn(IEnumerable<string> ids) => $"{MilvusVectorStore.IdField} in [{string.Join(", ", ids.Select(Quote))}]";

    private static void Write(Expression expression, ParameterExpression record, StringBuilder text)
    {
        switch (expression)
        {
            case BinaryExpression { NodeType: ExpressionType.AndAlso or ExpressionType.OrElse } logical:
                text.Append('(');
                Write(logical.Left, record, text);
                text.Append(logical.NodeType == ExpressionType.AndAlso ? " and " : " or ");
                Write(logical.Right, record, text);
                text.Append(')');
                break;
            case UnaryExpression { NodeType: ExpressionType.Not } not:
                text.Append("not (");
                Write(not.Operand, record, text);
                text.Append(')');
                break;
            case BinaryExpression { NodeType: ExpressionType.Equal or ExpressionType.NotEqual } comparison:
                var (field, value) = Field(comparison.Left, record) is { } left ? (left, comparison.Right)
                    : Field(comparison.Right, record) is { } right ? (right, comparison.Left)
                    : throw Unsupported(comparison);
                text.Append(field).Append(comparison.NodeType == ExpressionType.Equal ? " == " : " != ").Append(Quote(Value(value)));
                break;
            default:
                throw Unsupported(expression);
        }
    }

    private static string? Field(Expression expression, ParameterExpression record) =>
        expression is MemberExpression { Expression: ParameterExpression parameter } member && parameter == record
            ? member.Member.Name switch
            {
                nameof(VectorRecord.Id) => MilvusVectorStore.IdField,
                nameof(VectorRecord.DocumentId) => MilvusVectorStore.DocumentIdField,
                nameof(VectorRecord.Title) => MilvusVectorStore.TitleField,
                nameof(VectorRecord.Text) => MilvusVectorStore.TextField,
                _ => null,
            }
            : null;

    private static string Value(Expression expression) =>
        expression is ConstantExpression { Value: string constant } ? constant
        : Expression.Lambda<Func<object?>>(Expression.Convert(expression, typeof(object))).Compile()() as string
          ?? throw new NotSupportedException("Milvus filters compare record fields with strings only.");

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    private static NotSupportedException Unsupported(Expression expression) =>
        new($"The Milvus collection cannot filter by '{expression}': use ==, != on Id, DocumentId, Title or Text, with &&, || and !.");
}
