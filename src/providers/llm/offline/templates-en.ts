import type { ChatIntent, KioskIntent } from './intents.js';

/**
 * Everything the offline engine says, per language. `{placeholders}` are filled by the agents;
 * lists hold variants picked deterministically from the conversation.
 */
export interface Templates {
  and: string;
  honesty: string;
  honestyInCharacter: string;
  crisis: string;
  chat: Record<ChatIntent, readonly string[]> & { reflect: readonly string[]; fallback: readonly string[] };
  roleplay: {
    defaultPersona: { name: string; role: string; company: string };
    defaultObjections: readonly string[];
    opening: readonly string[];
    pushBack: readonly string[];
    accept: readonly string[];
    convinced: readonly string[];
    afterConvinced: readonly string[];
  };
  debrief: {
    noTranscript: string;
    overview: string;
    quote: readonly string[];
    acknowledge: readonly string[];
    questions: { asked: readonly string[]; long: readonly string[]; figures: readonly string[]; generic: readonly string[] };
    wrapUp: string;
    strengthQuestions: string;
    tipQuestions: string;
    strengthBalance: string;
    tipBalance: string;
    closing: string;
  };
  interviewer: {
    intro: string;
    next: readonly string[];
    followUp: readonly string[];
    followUpUnknown: readonly string[];
    mentioned: string;
    wrapUp: string;
    afterWrapUp: string;
  };
  kiosk: {
    greeting: string;
    thanks: string;
    fallback: string;
    noTool: Record<Exclude<KioskIntent, 'greeting' | 'thanks'>, string>;
    toolLead: Record<Exclude<KioskIntent, 'greeting' | 'thanks'>, string>;
    toolError: string;
    defaultGymName: string;
  };
}

export const TEMPLATES_EN: Templates = {
  and: 'and',
  honesty:
    "Honest answer: I'm Coach Hub's offline engine, a built-in set of rules and templates, not an AI model. I can still help with the basics. For real AI conversations, an administrator can connect a model (OpenAI, an OpenAI-compatible server, or a local GGUF file).",
  honestyInCharacter:
    "(Stepping out of the roleplay for a second: I'm Coach Hub's offline engine, rule-based and not an AI model, so my answers follow the scenario's script.) Back in character: {objection}",
  crisis:
    "I'm really sorry you're feeling this way, and I'm glad you said it. You deserve support from a person right now: please call your local emergency number (112 in Europe, 911 in the US) or a crisis line (988 in the US, 3114 in France). If you can, reach out to someone you trust and tell them how you feel. I'm here to listen too.",
  chat: {
    unethical: [
      "I won't help with that: pressuring, tricking or manipulating someone damages trust and ignores their consent. What I can help with is showing genuine interest and being honest about what you want. What draws you to this person?",
      "That approach works against respect and consent, so I'll pass on it. Attraction that lasts comes from honesty and feeling safe together. Would you like to work on expressing your interest clearly instead?",
    ],
    greeting: [
      "Hi! I'm glad you're here. What would you like to work on today: dating confidence, a specific situation, or a personal goal?",
      "Hello! Tell me what's on your mind today, and we'll take it one step at a time.",
    ],
    thanks: [
      "You're welcome! Remember: small, consistent steps beat big leaps. What's one thing you'll try this week?",
      "My pleasure. You're doing the work, and that matters. Anything else you'd like to explore?",
    ],
    goodbye: [
      "Take care! Be kind to yourself, and come back whenever you want to debrief how it went.",
      "Goodbye for now. I'm curious to hear how your next step goes!",
    ],
    rejection: [
      "Rejection stings, and it's okay to feel disappointed. It says more about fit and timing than about your worth. What did you learn about what you want?",
      "I'm sorry, that hurts. Putting yourself out there took courage, and that courage is still yours. How are you taking care of yourself right now?",
    ],
    anxiety: [
      "Feeling nervous is normal; it means this matters to you. Try slow breathing: in for 4 seconds, out for 6, a few times. What exactly worries you most?",
      "That nervous energy can become excitement with a bit of preparation. Picture the first two minutes going well. What would you say or do in them?",
    ],
    firstDate: [
      "For a first date, choose a place where you feel at ease and can talk, prepare two or three open questions, and focus on curiosity rather than impressing. What kind of date are you planning?",
      "A good first date is about connection, not performance: listen, share a little about yourself, and be honest. What are you most looking forward to?",
    ],
    texting: [
      "Keep it simple and genuine: reference something specific you noticed about them, then ask an open question. What do you know about their interests?",
      "A good message is short, personal and easy to answer. For example, comment on something from their profile and ask about it. What would you like to say?",
    ],
    confidence: [
      "Confidence grows through action, not before it. Start small: one conversation, one honest compliment, one step outside your comfort zone. What's a small step you could take this week?",
      "Many people feel this way, and it doesn't define you. Let's list three qualities people appreciate in you. What comes to mind first?",
    ],
    loneliness: [
      "Feeling lonely is hard, and thank you for sharing it. Connection often starts with shared activities: a club, a class, volunteering. What do you enjoy doing that others do too?",
      "You're not alone in feeling alone. Is there one person you could reach out to this week, even with a short message?",
    ],
    goals: [
      "Let's make it concrete: one goal, one tiny daily habit, and a way to track it. What goal matters most to you right now?",
      "Motivation follows action. Pick the smallest version of your goal you can do in two minutes today. What would that look like?",
    ],
    reflect: [
      'It sounds like "{snippet}" really matters to you. Can you tell me more about what you feel when you think about it?',
      'Thank you for sharing that. When you say "{snippet}", what would a good outcome look like for you?',
    ],
    fallback: [
      "I'm listening. Tell me a little more, and we'll figure out a next step together.",
      'What would you like to change or feel more confident about?',
    ],
  },
  roleplay: {
    defaultPersona: { name: 'Alex Martin', role: 'purchasing manager', company: 'Nordia Logistics' },
    defaultObjections: [
      'Your price is higher than what we pay today.',
      "We're in the middle of a busy quarter; this isn't a good time to change.",
      'We already work with a supplier we trust.',
    ],
    opening: [
      "Hello, I'm {name}, {role} at {company}. I've got a few minutes. I'll be upfront: {objection}",
      'Hi, {name} here, {role} at {company}. Before we go further, you should know: {objection}',
    ],
    pushBack: [
      "I'm not convinced yet. {objection} Can you be more specific, with facts or an example?",
      "That's a bit general. My concern remains: {objection} Why should that change my mind?",
    ],
    accept: [
      "Okay, that's a fair point. But there's something else: {objection}",
      'Alright, that helps. Still, {objection}',
    ],
    convinced: [
      "You know what, you've answered my concerns. Let's set up a next step: send me a proposal and we'll schedule a follow-up.",
      "Fine, you've convinced me. I'm ready to move forward; what do you need from me to get started?",
    ],
    afterConvinced: [
      "As I said, I'm on board. Let's agree on the next step and a date.",
      "We're good. Send me the details and I'll get it approved.",
    ],
  },
  debrief: {
    noTranscript:
      "I don't have a transcript of your session to review. Could you tell me how it went, in a few sentences: what you wanted to achieve, and what happened?",
    overview:
      "Let's look back at your session together. You spoke {learnerTurns} times out of {turns} turns ({talkShare}% of the words) and asked {questions} question(s).",
    quote: ['At one point you said: "{quote}"', 'I noticed this line of yours: "{quote}"'],
    acknowledge: ['Thank you for reflecting on that.', "That's a useful insight.", 'Good, keep that in mind.'],
    questions: {
      asked: [
        'What were you hoping to learn with that question, and did you get it?',
        'How did that question help you understand the other person?',
      ],
      long: [
        'That was a long turn. How could you say the same thing in two sentences?',
        'How do you think the other person felt while listening to that?',
      ],
      figures: [
        'You used concrete figures here. How did they land, and what would make them more convincing?',
        'What evidence could back up those numbers next time?',
      ],
      generic: [
        'What was your intention with that, and how do you think it was received?',
        'If you could replay that moment, what would you keep and what would you change?',
      ],
    },
    wrapUp: "Let's wrap up. {strength} {tip} What's the one thing you'll do differently next time?",
    strengthQuestions: 'A strength: you asked questions to understand the other person.',
    tipQuestions: 'To improve: ask more open questions ("what", "how") before presenting your ideas.',
    strengthBalance: 'A strength: you left room for the other person to speak.',
    tipBalance: 'To improve: you did most of the talking ({talkShare}%), so try to listen more and summarise what you hear.',
    closing: 'Great work reflecting on this session. Come back after your next practice and we will compare.',
  },
  interviewer: {
    intro: "Hello and welcome! I'll be your interviewer today. We'll go through {count} questions about {topics}. Take your time and think out loud. First question: {question}",
    next: ['Thank you. Next question: {question}', 'Noted. Let\'s move on: {question}', 'Okay. Here is the next one: {question}'],
    followUp: [
      'Could you go a bit deeper? For example, describe a concrete situation from a project.',
      'Can you give me an example, and explain the trade-offs involved?',
    ],
    followUpUnknown: [
      "No problem, that happens. How would you go about finding the answer if you met this at work?",
      'That\'s okay. What do you know that is related, and how would you reason about it?',
    ],
    mentioned: 'You mentioned "{term}", good.',
    wrapUp:
      "That was the last question, thank you! You'll find your feedback and score in your interview summary. Do you have any questions for me?",
    afterWrapUp: 'Thanks again for your time. This interview is complete; good luck with your preparation!',
  },
  kiosk: {
    greeting:
      'Hello and welcome to {gym}! I can help with opening hours, the class schedule, equipment, nutrition tips, booking a coach or reporting an issue. What do you need?',
    thanks: 'You are welcome! Have a great workout.',
    fallback:
      'I can help with opening hours, the class schedule, equipment, nutrition tips, booking a coach or reporting an issue. Which one would you like?',
    noTool: {
      hours: "I can't look up today's opening hours from this kiosk right now. They're posted at the reception desk and in the members' app.",
      schedule: "I can't reach the live class schedule right now. The timetable is displayed near the studios and in the members' app.",
      issue: "Thank you for telling me. I can't create a ticket from here right now, so please let the staff at reception know so they can fix it quickly.",
      equipment:
        'General safety tips: adjust the seat and settings to your height before starting, begin with a light load, keep a controlled movement, and ask a coach if you are unsure.',
      nutrition:
        'General guidance (not medical advice): eat regular meals with protein and vegetables, stay hydrated before and after training, and have a snack with carbs and protein within two hours after your workout.',
      booking: "I can't book a coach from this kiosk right now. The reception team can book a session for you.",
    },
    toolLead: {
      hours: 'Here are the opening hours:',
      schedule: 'Here is the class schedule:',
      issue: 'Thank you, your report has been recorded:',
      equipment: 'Here is how to use it:',
      nutrition: 'Here is some nutrition advice:',
      booking: 'Your booking request is done:',
    },
    toolError: "Sorry, I couldn't get that information right now. Please ask at the reception desk.",
    defaultGymName: 'the gym',
  },
};
