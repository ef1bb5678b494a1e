using System.Collections.Frozen;
using Chatroom.Analysis.Moderation.Normalization;

namespace Chatroom.Analysis.Moderation.Classifiers;

/// <summary>
/// Lexicon mood classifier after VADER (Hutto and Gilbert, 2014): valence per word, emoji and emoticon, with
/// negation, degree words, ALL CAPS, stretched letters, exclamation marks and "but" contrast.
/// </summary>
public sealed class MoodClassifier
{
    private const double BoosterIncrease = 0.293;
    private const double CapsIncrease = 0.733;
    private const double StretchIncrease = 0.4;
    private const double NegationScalar = -0.74;

    private static readonly FrozenDictionary<string, double> Boosters = new Dictionary<string, double>
    {
        ["absolutely"] = BoosterIncrease, ["amazingly"] = BoosterIncrease, ["awfully"] = BoosterIncrease, ["completely"] = BoosterIncrease,
        ["deeply"] = BoosterIncrease, ["enormously"] = BoosterIncrease, ["entirely"] = BoosterIncrease, ["especially"] = BoosterIncrease,
        ["exceptionally"] = BoosterIncrease, ["extremely"] = BoosterIncrease, ["fucking"] = BoosterIncrease, ["freaking"] = BoosterIncrease,
        ["fricking"] = BoosterIncrease, ["greatly"] = BoosterIncrease, ["hella"] = BoosterIncrease, ["highly"] = BoosterIncrease,
        ["hugely"] = BoosterIncrease, ["incredibly"] = BoosterIncrease, ["insanely"] = BoosterIncrease, ["intensely"] = BoosterIncrease,
        ["most"] = BoosterIncrease, ["more"] = BoosterIncrease, ["particularly"] = BoosterIncrease, ["purely"] = BoosterIncrease,
        ["quite"] = BoosterIncrease, ["really"] = BoosterIncrease, ["remarkably"] = BoosterIncrease, ["so"] = BoosterIncrease,
        ["super"] = BoosterIncrease, ["such"] = BoosterIncrease, ["thoroughly"] = BoosterIncrease, ["too"] = BoosterIncrease,
        ["totally"] = BoosterIncrease, ["tremendously"] = BoosterIncrease, ["truly"] = BoosterIncrease, ["uber"] = BoosterIncrease,
        ["unbelievably"] = BoosterIncrease, ["utterly"] = BoosterIncrease, ["very"] = BoosterIncrease, ["af"] = BoosterIncrease,
        ["almost"] = -BoosterIncrease, ["barely"] = -BoosterIncrease, ["hardly"] = -BoosterIncrease, ["kinda"] = -BoosterIncrease,
        ["less"] = -BoosterIncrease, ["little"] = -BoosterIncrease, ["marginally"] = -BoosterIncrease, ["occasionally"] = -BoosterIncrease,
        ["partly"] = -BoosterIncrease, ["scarcely"] = -BoosterIncrease, ["slightly"] = -BoosterIncrease, ["somewhat"] = -BoosterIncrease,
        ["sorta"] = -BoosterIncrease, ["fairly"] = -BoosterIncrease, ["pretty"] = -0.1, ["bit"] = -BoosterIncrease,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenSet<string> Negations = new[]
    {
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot", "rarely", "seldom",
        "ain't", "aren't", "can't", "couldn't", "didn't", "doesn't", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't",
        "mustn't", "needn't", "shan't", "shouldn't", "wasn't", "weren't", "won't", "wouldn't", "nope", "nah", "dont", "cant", "isnt",
        "wasnt", "didnt", "doesnt", "wont", "aint", "havent", "hasnt", "wouldnt", "couldnt", "shouldnt", "arent", "werent",
    }.ToFrozenSet(StringComparer.Ordinal);

    // Words VADER scores that are mostly not sentiment in chat ("like" as a preposition, "no" as an answer, "well" as a filler).
    private static readonly FrozenSet<string> Fillers = new[] { "like", "well", "no", "yes", "please", "pretty", "ok", "okay", "kind", "sure", "want" }
        .ToFrozenSet(StringComparer.Ordinal);

    private readonly ModerationLexicon _lexicon;
    private MoodModel? _model;
    private TrainedModel? _trained;

    public MoodClassifier(ModerationLexicon lexicon)
        : this(lexicon, null)
    {
    }

    /// <param name="lexicon">Valence, emoji and emoticon lists.</param>
    /// <param name="model">The review-trained linear model; null uses <see cref="MoodModel.Default"/> when first needed.</param>
    /// <param name="trained">The tweet-trained model; null uses <see cref="TrainedModel.Default"/> when first needed.</param>
    public MoodClassifier(ModerationLexicon lexicon, MoodModel? model, TrainedModel? trained = null)
    {
        _lexicon = lexicon;
        _model = model;
        _trained = trained;
    }

    /// <summary>
    /// Label, score and confidence. Two readings are blended in log space: the lexicon with review-trained words
    /// (compound → a sharp softmax with a neutral band; it knows chat idioms, emoji and intensifiers) and the
    /// tweet-trained model's calibrated probabilities (<see cref="TrainedModel"/>; it knows how people write). The
    /// score is p(happy) − p(sad) of the blend; the confidence is the chosen label's blended probability.
    /// </summary>
    public MoodResult Classify(NormalizedText text) => Classify(text, Calibration.TrainedMoodWeight);

    /// <param name="text">The normalised message.</param>
    /// <param name="trainedWeight">Share of the trained model in the blend (0 lexicon only, 1 trained only).</param>
    /// <param name="refine">
    /// Replaces the trained model's scores before they are used (the second stage, <see cref="EmbeddingHeads.Refine"/>);
    /// null keeps them.
    /// </param>
    public MoodResult Classify(NormalizedText text, double trainedWeight, Func<TrainedScores, TrainedScores>? refine = null)
    {
        var lexicon = Compound(text);
        var model = _model ??= MoodModel.Default;
        var trained = (_trained ??= TrainedModel.Default).Score(text, lexicon);
        if (refine is not null)
        {
            trained = refine(trained);
        }

        var compound = Math.Tanh(model.Logit(text, lexicon, Calibration.MoodWordScale) / 2);
        var sharp = Calibration.MoodSharpness;
        var band = Calibration.MoodNeutralBand;
        var weight = trainedWeight;
        var decision = _trained.Calibration.MoodDecision;

        // Log-probabilities of sad, neutral, happy; the trained model's decision offsets (balanced recall) come along at its weight.
        Span<double> blend =
        [
            ((1 - weight) * sharp * (-compound - band)) + (weight * (Math.Log(trained.Sad) + decision[TrainedModel.MoodSad])),
            weight * (Math.Log(trained.Neutral) + decision[TrainedModel.MoodNeutral]),
            ((1 - weight) * sharp * (compound - band)) + (weight * (Math.Log(trained.Happy) + decision[TrainedModel.MoodHappy])),
        ];
        var max = Math.Max(blend[0], Math.Max(blend[1], blend[2]));
        var total = 0.0;
        for (var c = 0; c < 3; c++)
        {
            blend[c] = Math.Exp(blend[c] - max);
            total += blend[c];
        }

        var best = blend[2] >= blend[0] ? (blend[2] > blend[1] ? TrainedModel.MoodHappy : TrainedModel.MoodNeutral) : (blend[0] > blend[1] ? TrainedModel.MoodSad : TrainedModel.MoodNeutral);
        var mood = best switch
        {
            TrainedModel.MoodHappy => Moods.Happy,
            TrainedModel.MoodSad => Moods.Sad,
            _ => Moods.Neutral,
        };
        var score = (blend[2] - blend[0]) / total;
        return new MoodResult(mood, Math.Round(score, 4), Math.Round(blend[best] / total, 4)) { LexiconScore = lexicon, Trained = trained };
    }

    /// <summary>The VADER compound score in -1..1.</summary>
    public double Compound(NormalizedText text)
    {
        var tokens = text.Tokens;
        var count = tokens.Count;
        if (count == 0)
        {
            return 0;
        }

        var anyCaps = false;
        var anyLower = false;
        foreach (var token in tokens)
        {
            if (token.Kind == TokenKind.Word && token.Text.Length > 1)
            {
                anyCaps |= token.Is(TokenTraits.AllCaps);
                anyLower |= !token.Is(TokenTraits.AllCaps);
            }
        }

        var capsDiffer = anyCaps && anyLower;
        var butIndex = -1;
        Span<double> sentiments = count <= 256 ? stackalloc double[count] : new double[count];
        for (var i = 0; i < count; i++)
        {
            var token = tokens[i];
            if (token.Kind is TokenKind.Url or TokenKind.Mention or TokenKind.Number)
            {
                continue;
            }

            var word = token.Text;
            if (butIndex < 0 && (word == "but" || word == "however" || word == "although"))
            {
                butIndex = i;
            }

            if (Idiom(tokens, i) is { } idiom)
            {
                sentiments[i] = idiom;
                continue;
            }

            if (Boosters.ContainsKey(word) || !_lexicon.Valence.TryGetValue(word, out var valence))
            {
                continue;
            }

            if (Expletives.Contains(word) && PositiveElsewhere(tokens, i))
            {
                // "holy shit that's amazing", "damn that's nice": the swear word intensifies, it is not the sentiment.
                continue;
            }

            if (Fillers.Contains(word) && !IsSentimentUse(tokens, i))
            {
                continue;
            }

            valence = AdjustForChat(tokens, i, valence);
            if (token.Is(TokenTraits.AllCaps) && capsDiffer)
            {
                valence += Math.Sign(valence) * CapsIncrease;
            }

            if (token.Is(TokenTraits.Stretched))
            {
                valence += Math.Sign(valence) * StretchIncrease;
            }

            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var previous = tokens[i - back];
                if (previous.Kind != TokenKind.Word)
                {
                    break;
                }

                if (Boosters.TryGetValue(previous.Text, out var scalar) && !_lexicon.Valence.ContainsKey(previous.Text))
                {
                    scalar = valence < 0 ? -scalar : scalar;
                    if (previous.Is(TokenTraits.AllCaps) && capsDiffer)
                    {
                        scalar += valence < 0 ? -CapsIncrease : CapsIncrease;
                    }

                    valence += scalar * (back == 1 ? 1.0 : back == 2 ? 0.95 : 0.9);
                }

                if (Negations.Contains(previous.Text) && !(back > 1 && previous.Text == "never" && tokens[i - back + 1].Text is "so" or "this"))
                {
                    valence *= NegationScalar;
                }
                else if (previous.Text == "least" && !(i - back - 1 >= 0 && tokens[i - back - 1].Text is "at" or "very"))
                {
                    valence *= NegationScalar;
                }
            }

            sentiments[i] = valence;
        }

        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            var s = sentiments[i];
            if (butIndex >= 0)
            {
                s *= i < butIndex ? 0.5 : i > butIndex ? 1.5 : 1.0;
            }

            sum += s;
        }

        if (sum != 0)
        {
            var emphasis = Math.Min(text.Exclamations, 4) * 0.292;
            if (text.Questions > 1)
            {
                emphasis += text.Questions <= 3 ? text.Questions * 0.18 : 0.96;
            }

            sum += Math.Sign(sum) * emphasis;
        }

        return sum / Math.Sqrt((sum * sum) + 15);
    }

    private static readonly FrozenSet<string> Expletives = new[] { "damn", "hell", "shit", "fuck", "fucking", "fucked", "crap", "freaking" }
        .ToFrozenSet(StringComparer.Ordinal);

    private bool PositiveElsewhere(IReadOnlyList<NormalizedToken> tokens, int index)
    {
        var positive = false;
        for (var k = 0; k < tokens.Count; k++)
        {
            if (k == index || Expletives.Contains(tokens[k].Text) || !_lexicon.Valence.TryGetValue(tokens[k].Text, out var v))
            {
                continue;
            }

            if (v <= -1.0)
            {
                return false;
            }

            positive |= v >= 1.5;
        }

        return positive;
    }

    /// <summary>Multi-word expressions whose words alone mislead: "can't wait", "to die for", "dying to".</summary>
    private static double? Idiom(IReadOnlyList<NormalizedToken> tokens, int index)
    {
        var word = tokens[index].Text;
        var previous = index > 0 ? tokens[index - 1].Text : string.Empty;
        var next = index + 1 < tokens.Count ? tokens[index + 1].Text : string.Empty;
        return word switch
        {
            "wait" when previous is "can't" or "cannot" or "cant" => 2.0,
            "die" when previous == "to" && next == "for" => 2.5,
            "dying" when next == "to" => 1.5,
            "happier" or "better" when previous == "been" && index > 1 && tokens[index - 2].Text == "never" => 2.5,
            _ => null,
        };
    }

    private static bool IsSentimentUse(IReadOnlyList<NormalizedToken> tokens, int index)
    {
        var word = tokens[index].Text;
        var previous = index > 0 ? tokens[index - 1].Text : string.Empty;
        if (Negations.Contains(previous) || (index > 1 && Negations.Contains(tokens[index - 2].Text)))
        {
            return true;
        }

        return word switch
        {
            "like" => previous is "i" or "we" or "they" or "you" or "really" or "totally" or "would" or "don't" or "didn't" or "dont",
            "well" => previous is "very" or "so" or "really" or "pretty" or "as" or "done" or "played" or "went" or "get",
            _ => false,
        };
    }

    /// <summary>Chat idioms whose words VADER reads the wrong way ("killed it", "this song kills", "I'm dead 😂").</summary>
    private static double AdjustForChat(IReadOnlyList<NormalizedToken> tokens, int index, double valence)
    {
        var word = tokens[index].Text;
        var next = index + 1 < tokens.Count ? tokens[index + 1].Text : string.Empty;
        var previous = index > 0 ? tokens[index - 1].Text : string.Empty;
        return word switch
        {
            "kill" or "killed" or "killing" or "kills" when next is "it" or "for" => 2.0,
            "kill" or "killing" when next == "time" => 0,
            "kills" when next.Length == 0 && previous is "song" or "track" or "beat" or "this" or "album" => 2.0,
            "dead" or "dying" or "died" when previous is "i'm" or "im" && (next is "" or "lol" or "lmao" or "haha" || next.StartsWith('\uD83D')) => 1.5,
            "sick" when previous is "so" or "that's" or "thats" or "is" && next is "" or "bro" or "dude" or "man" => 1.5,
            "crazy" or "insane" when previous is "so" or "that's" or "thats" => 0.8,
            _ => valence,
        };
    }
}
