/** Gym-kiosk questions the voice benchmarks speak (festival) and transcribe. */
export const KIOSK_QUESTIONS = [
  'What are your opening hours on Sunday?',
  'Is there a yoga class tomorrow evening?',
  'The treadmill near the window is broken.',
  'How do I use the rowing machine?',
  'What should I eat to gain muscle?',
  'I would like to book a coach for Thursday.',
  'Can I bring a friend to the gym?',
  'Where are the lockers?',
  'Do you have a sauna?',
  'How much is the monthly membership?',
  'Is the pool open today?',
  'Good morning, I need some help please.',
];
