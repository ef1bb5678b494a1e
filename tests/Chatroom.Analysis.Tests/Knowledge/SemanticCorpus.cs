namespace Chatroom.Analysis.Tests.Knowledge;

/// <summary>
/// A small help-desk corpus and one question per passage, each written in other words than its passage (no content
/// word shared), for ranking tests and the recall@k figures in docs/knowledge.md.
/// </summary>
internal static class SemanticCorpus
{
    public static readonly (string Title, string Text, string Question)[] Items =
    [
        ("Refunds", "If you are not satisfied with a purchase, we return your payment within 14 days of the order.", "how do I get my money back?"),
        ("Parking", "Visitors leave their cars in the garage under the building; the gate opens with the visitor code.", "where can guests put their vehicle?"),
        ("Vacation", "Book vacation days in the HR portal at least two weeks ahead.", "how should I ask for time off?"),
        ("Sign-in", "Forgot your login secret? Use the reset link on the sign-in page and follow the email.", "I can't remember my password"),
        ("Wireless", "The wireless network for guests is called Lobby-Guest; the key is printed at reception.", "how do I get internet on my laptop?"),
        ("Printing", "Send documents to the printer on the third floor and collect the pages with your badge.", "where can I make paper copies?"),
        ("Canteen", "The canteen serves meals from noon to two, with vegetarian dishes every day.", "when can I eat lunch at the office?"),
        ("Fire safety", "In case of fire, leave by the stairs, never the elevator, and gather at the car park.", "what do I do when the smoke alarm goes off?"),
        ("Expenses", "Submit receipts for travel costs in the finance tool within a month to be reimbursed.", "how do I claim what I spent on a business trip?"),
        ("Illness", "If you are ill, tell your manager before nine and send a doctor's note after three days.", "I feel unwell and can't come to work"),
        ("Shipping", "Orders are delivered within three to five working days; tracking numbers come by email.", "how long until my parcel gets here?"),
        ("Bicycles", "Bicycles can be locked in the basement racks; showers are next to them.", "where do I keep my bike during work?"),
    ];
}
