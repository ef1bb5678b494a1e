namespace Chatroom.Guardian.Eval.Corpus;

/// <summary>
/// Concerning conversations (label 1): an adult, usually a first contact, working through the known grooming signals —
/// asking age, flattery and gifts, secrecy, personal details, photos or a meeting, moving to another app, isolating the
/// child from parents. Deliberately non-explicit: the patterns, never sexual content. Each family has its own wording.
/// </summary>
internal static class ConcerningFamilies
{
    private static readonly string[] Shrugs = ["ok", "idk", "lol ok", "maybe", "haha", "sure i guess", "hmm", "cool", "yeah", "oh ok"];

    public static IEnumerable<Family> All =>
    [
        new("lobby-stranger", "dev", 1, 60, (22, 45), (11, 15), [16, 19, 21, 22, 23, 0],
            [
                Beat.Say(["hey, you were in my {game} lobby earlier", "hi! saw you playing {game} last night, you're good", "yo you're the one who carried the {game} match right?", "hey i saw your name in {game}, gg earlier"],
                    "oh hi", "thanks lol", "who is this", "yeah that was me"),
            ],
            [
                Beat.Say(["how old are you btw?", "you sound young, what age are you?", "what grade are you in?", "are you like 13 or something?", "how old r u if you don't mind me asking"],
                    "{age}", "im {age}", "why", "{age} lol"),
                Beat.Say(["honestly you're more mature than most people my age", "you're really smart for your age", "you're way cooler than the kids you play with", "you get me better than anyone online"],
                    "thanks i guess", "lol really?", "haha ok"),
                Beat.Say(["i can buy you the {item} if you want, just a gift", "want me to send you {coins} coins? no catch", "i'll get you the battle pass, you deserve it", "let me gift you the {item} skin"],
                    "really??", "omg yes", "are you sure", "thats a lot"),
                Beat.Say(["don't tell your parents about the gift ok", "keep this between us, they wouldn't understand", "don't mention me to anyone, people get weird about online friends", "this is our secret alright?"],
                    "ok", "why not", "i wont", "ok i guess"),
                Beat.Say(["add me on {app}, it's easier to talk there", "this chat is glitchy, message me on {app}", "do you have {app}? let's move there", "download {app} so we can talk without the mods reading"],
                    "i dont have it", "ok whats your name there", "my mum checks my phone", "ill try"),
                Beat.Say(["which school do you go to?", "what town do you live in?", "what's your address, i'll mail the gift", "send me your number so i can text you"],
                    "why do you need that", "{town}", "idk if i should", "its near the park"),
                Beat.Say(["send me a pic so i know you're real", "what do you look like? send a selfie", "show me a photo of you, just your face", "can you turn your camera on?"],
                    "no", "maybe later", "why", "im shy"),
                Beat.Say(["we should meet up some time, i'm not far", "i could pick you up after school", "let's meet at the {place} on {day}", "i'll be near {town} this weekend, we could hang out"],
                    "i dont know", "my parents wont let me", "maybe", "where"),
                Beat.Say(["your parents don't get you like i do", "your mum sounds really strict, you deserve better", "you can always talk to me instead of them", "your friends don't really care about you, i do"],
                    "i guess", "they're ok", "sometimes"),
                Beat.Say(["that last round was crazy", "did you see the new {game} map?", "what rank are you now?"], "yeah", "its fun", "gold lol"),
            ],
            (3, 6),
            [
                Beat.Say(["remember, delete these messages ok", "are you alone right now?", "when are your parents out?", "message me tonight when everyone is asleep"],
                    "ok", "why", "i have to go", "maybe"),
            ]),

        new("talent-scout", "dev", 1, 60, (25, 50), (12, 16), [15, 18, 20, 22, 23],
            [
                Beat.Say(["hi, i run a small modelling agency and your profile caught my eye", "hello! i scout for a talent agency, you have a great look", "hi there, i work with brands looking for young faces like yours", "hey, i'm a photographer and i think you could be a model"],
                    "really?", "who are you", "omg thanks", "is this real"),
            ],
            [
                Beat.Say(["how old are you exactly? we have categories", "what's your age, for the files?", "you look about 15, am i right?", "are you under 16? it matters for the contract"],
                    "{age}", "im {age}", "yes"),
                Beat.Say(["you're honestly stunning", "you're so beautiful, you could go far", "you have something special, most girls your age don't", "trust me, you're gorgeous"],
                    "thank you", "aww", "lol no", "stop haha"),
                Beat.Say(["send me a few photos so i can show the client", "i'll need some pictures of you, nothing fancy", "can you send a full picture of yourself?", "take a selfie for me in good light"],
                    "what kind", "ok", "i dont know", "now?"),
                Beat.Say(["don't tell your parents yet, we want it to be a surprise", "keep this quiet until the contract is signed", "parents tend to ruin these chances, keep it to yourself", "this stays between us for now ok"],
                    "ok", "why", "i wont tell"),
                Beat.Say(["i can pay you {money} for a first shoot", "i'll buy you some new clothes for the shoot", "we'll send you a phone for the job", "you'd get free makeup and gifts from the brand"],
                    "wow", "really", "thats a lot"),
                Beat.Say(["what's your home address for the paperwork?", "which school are you at, we sometimes visit", "give me your phone number, it's faster", "what's your full name and where do you live?"],
                    "{town}", "why", "um ok"),
                Beat.Say(["let's do a test shoot, i can meet you on {day}", "come to the studio after school, don't bring anyone", "i'll pick you up from the {place}", "can we meet alone first, just to see how you are on camera"],
                    "alone?", "my mum would want to come", "where is it", "maybe"),
                Beat.Say(["let's continue on {app}, i don't use this much", "message me on {app}, add me there", "do you have {app}? send your handle"],
                    "ok", "i have it", "whats yours"),
                Beat.Say(["our clients love natural looks", "i've worked with lots of girls your age", "the industry is tough but you have it"], "cool", "ok"),
            ],
            (3, 6),
            [
                Beat.Say(["remember, this is confidential", "delete this chat after you read it", "reply tonight when you're on your own"],
                    "ok", "fine", "i will"),
            ]),

        new("fake-peer", "dev", 1, 60, (19, 40), (10, 14), [17, 20, 21, 22, 23, 1],
            [
                Beat.Say(["hiii i'm new here, wanna be friends?", "hey! i'm {fakeage} too, i think we go to the same kind of school", "hi, we like the same channel, want to chat?", "hey, sorry random, but you seem nice"],
                    "hi", "sure", "ok", "hey"),
            ],
            [
                Beat.Say(["how old are you? i'm {fakeage}", "what year are you in?", "you're {age} right? same as me", "guess my age lol, and how old are you"],
                    "{age}", "im in year {year}", "same!"),
                Beat.Say(["where do you live? maybe we're close", "what's your school called?", "what street are you on?", "do you walk home from school alone?"],
                    "{town}", "i walk with my friend", "why"),
                Beat.Say(["are your parents home a lot?", "do your parents check your phone?", "when do your parents get back from work?", "who's home with you after school?"],
                    "sometimes", "my mum does", "around 6", "nobody"),
                Beat.Say(["don't tell anyone we talk, it's more fun that way", "let's keep our chats a secret", "if your parents ask, say i'm from school", "don't show anyone our messages ok"],
                    "ok", "why", "lol ok"),
                Beat.Say(["your parents sound so annoying", "they don't trust you, that's so unfair", "you should stop telling them everything", "grown-ups never understand us"],
                    "yeah", "kind of", "i guess"),
                Beat.Say(["send me a pic of you, i'll send one back", "what do you look like?", "can you video call?", "send a selfie pls"],
                    "maybe", "no", "why"),
                Beat.Say(["let's talk on {app} instead", "i'm moving to {app}, come with me", "give me your number and we can text"],
                    "ok", "i'll ask", "i dont have a phone"),
                Beat.Say(["i could come to your town on {day} and we could meet", "let's meet at the {place}, just us", "wanna hang out irl sometime?"],
                    "maybe", "i dont know", "ok"),
                Beat.Say(["lol same", "omg i love that show too", "what's your fave song?"], "haha", "yeah", "its so good"),
            ],
            (3, 6),
            [
                Beat.Say(["text me later when you're alone", "don't forget, it's our secret", "are you on your own now?"],
                    "ok", "bye", "yes"),
            ]),

        new("tutor-offer", "test", 1, 40, (24, 55), (11, 15), [14, 17, 20, 22, 23],
            [
                Beat.Say(["Hello, I noticed you asked about maths in the help forum. I tutor for free.", "Hi, I saw your post about struggling at school, I could help you out.", "Good evening, I volunteer helping students, your question looked tricky.", "Hi there, I can help with your {subject} if you like, no charge."],
                    "oh thanks", "who are you?", "ok", "that would be nice"),
            ],
            [
                Beat.Say(["Which year are you in now, and how old?", "Remind me, you're about twelve?", "So what age are you, so I pitch it right?"],
                    "{age}", "im {age}", "year {year}"),
                Beat.Say(["You're a really special student, much cleverer than your classmates.", "Honestly you're one of the brightest young people I've talked to.", "I can tell you're very grown up for your age."],
                    "thank you", "not really", "aw"),
                Beat.Say(["I've bought you a little present, a new tablet for studying.", "I'll top up your phone so we can keep talking.", "Let me get you that {item} you mentioned, as a reward."],
                    "wow thank you", "you dont have to", "really?"),
                Beat.Say(["Best not to mention our lessons at home, some parents feel embarrassed about tutoring.", "Let's not tell your teacher I'm helping, it would cause trouble.", "Keep our sessions private, just between the two of us."],
                    "ok", "why", "i guess"),
                Beat.Say(["What's your mum's work schedule?", "Are you usually alone in the afternoons?", "Which bus do you take home?", "Tell me your home address, I'll post the books."],
                    "she works late", "sometimes", "the 42", "hmm"),
                Beat.Say(["It'd be easier on {app}, can you install it?", "Let's do video lessons on {app} instead of here.", "Could you give me your personal number for lessons?"],
                    "ok", "i'll try", "my dad set up my phone"),
                Beat.Say(["We could meet at the library on {day}, just the two of us.", "I'll pick you up after school and we'll study at mine.", "Let's have a lesson in person, don't bring your friends."],
                    "ok", "i need to ask", "where?"),
                Beat.Say(["Your parents push you too hard, you deserve someone who listens.", "You can tell me things you can't tell your family.", "I understand you better than your teachers do."],
                    "maybe", "yeah", "sometimes"),
                Beat.Say(["Send me a photo of yourself so I know who I'm teaching.", "Turn your camera on next time, I want to see you.", "Can you send a picture of you in your uniform?"],
                    "why", "ok", "no"),
                Beat.Say(["Let's look at fractions first.", "Did you finish the worksheet?", "Try question 3 and tell me what you get."], "ok", "i got 12", "its hard"),
            ],
            (3, 6),
            [
                Beat.Say(["Remember, this is our arrangement, nobody else needs to know.", "Delete our chat before your parents see it.", "Message me tonight after everyone's gone to bed."],
                    "ok", "sure", "bye"),
            ]),

        new("art-fan", "test", 1, 40, (20, 48), (10, 15), [16, 19, 21, 22, 0],
            [
                Beat.Say(["omg your drawings are amazing, i'm a huge fan", "Hey, I love the videos you post, so talented", "hi, i found your art page, you're seriously gifted", "your dance clip was incredible!! followed you"],
                    "thank you!!", "omg thanks", "who r u", "aww"),
            ],
            [
                Beat.Say(["you're so pretty in your profile pic btw", "you're adorable, you know that?", "you're way more talented than other kids", "you're perfect honestly"],
                    "haha thanks", "lol", "no im not"),
                Beat.Say(["how old are you? you seem really mature", "you're in middle school right?", "are you even a teenager yet?"],
                    "{age}", "yes", "im {age}"),
                Beat.Say(["i'd love to buy you a drawing tablet", "let me send you a gift card for art supplies", "i'll pay for your premium account", "want some free followers? i can get them for you"],
                    "really?", "wow", "yes please"),
                Beat.Say(["don't tell your mum about me, she might stop your page", "keep me your secret fan ok", "no one else should know we talk"],
                    "ok", "lol ok", "why"),
                Beat.Say(["send me more pics, not of the art, of you", "post a photo just for me", "can you send a video just for me?"],
                    "um", "no", "what kind"),
                Beat.Say(["dm me on {app}, it's more private", "let's chat on {app}, my messages get lost here", "give me your snap"],
                    "ok", "i dont have it", "fine"),
                Beat.Say(["where do you live? i'd love to see your art in person", "what's your school, i'd send something there", "what's your address?"],
                    "{town}", "why", "idk"),
                Beat.Say(["i'm visiting {town} on {day}, let's meet", "we should meet, i'll buy you art stuff", "come meet me at the {place}, alone is better"],
                    "maybe", "i cant", "where"),
                Beat.Say(["your family doesn't appreciate your talent", "your parents don't support you like i would"],
                    "sometimes", "i guess"),
                Beat.Say(["what are you drawing next?", "do you use pencils or digital?"], "a dragon", "digital", "pencils"),
            ],
            (3, 6),
            [
                Beat.Say(["remember, our secret", "delete the chat ok", "talk tonight when you're alone?"], "ok", "bye", "yeah"),
            ]),

        new("slow-friend", "test", 1, 40, (21, 42), (12, 15), [13, 18, 21, 22, 23],
            [
                Beat.Say(["hey, how was your day?", "hi again! what's up", "yo, back from school?"], "good", "boring", "ok"),
            ],
            [
                Beat.Say(["what did you have for lunch lol", "watching anything good?", "ugh mondays"], "pizza", "not really", "lol"),
                Beat.Say(["how old did you say you were again?", "wait you're still in school, which year?", "you're younger than me i think, what age?"],
                    "{age}", "year {year}", "{age} why"),
                Beat.Say(["you're the only one i really talk to", "you're special to me, you know that", "i feel like you really understand me"],
                    "aw", "you too", "ok"),
                Beat.Say(["is your room at the front or back of the house?", "what time does your mum leave for work?", "do you have your own room?", "are you home alone much?"],
                    "back", "at 8", "yes", "sometimes"),
                Beat.Say(["let's not mention our chats to your dad", "keep this just us, people wouldn't get it", "if anyone asks, i'm a friend from school"],
                    "ok", "why", "fine"),
                Beat.Say(["i'd rather talk on {app}, could you get it?", "can we switch to {app}?", "send me your phone number"],
                    "ok", "i'll try", "no phone"),
                Beat.Say(["i'll send you something nice this week", "i got you a present", "i can give you some money if you need it"],
                    "really", "what is it", "thanks"),
                Beat.Say(["what do you look like now? send a new pic", "send me a photo of what you're wearing"],
                    "no", "lol why", "later"),
                Beat.Say(["it'd be cool to finally meet", "i could meet you near your school", "let's meet on {day}, don't tell anyone"],
                    "maybe", "idk", "where"),
                Beat.Say(["your parents are too strict with you", "you don't need to tell them everything"], "yeah", "sometimes"),
            ],
            (4, 7),
            [
                Beat.Say(["night, text me when they're asleep", "bye, delete this ok", "talk later when you're alone"], "bye", "ok", "night"),
            ]),
    ];

    public static string[] ShrugReplies => Shrugs;
}
