import type { Language } from '../types.js';
import { normalize } from './text.js';

export type Technology = 'javascript' | 'typescript' | 'react' | 'node' | 'python' | 'sql' | 'java' | 'devops' | 'general';

type Bank = Record<Technology, { label: string; questions: Record<Language, readonly string[]> }>;

/** Interview questions per technology, English and French. */
export const QUESTION_BANK: Bank = {
  javascript: {
    label: 'JavaScript',
    questions: {
      en: [
        'Can you explain how closures work in JavaScript, with a practical use?',
        'What is the event loop, and how do microtasks differ from macrotasks?',
        'What is the difference between == and ===, and when would you use each?',
        'How does `this` get its value in a regular function versus an arrow function?',
      ],
      fr: [
        'Pouvez-vous expliquer le fonctionnement des closures en JavaScript, avec un usage concret ?',
        "Qu'est-ce que la boucle d'événements, et quelle différence entre microtâches et macrotâches ?",
        'Quelle est la différence entre == et ===, et quand utiliser chacun ?',
        "Comment `this` obtient-il sa valeur dans une fonction classique et dans une fonction fléchée ?",
      ],
    },
  },
  typescript: {
    label: 'TypeScript',
    questions: {
      en: [
        'What is the difference between `unknown` and `any`, and why prefer one?',
        'How do discriminated unions help you model state safely?',
        'What are generics for? Give an example of a generic function you wrote.',
        'How would you type a function that accepts either a string or an array of strings?',
      ],
      fr: [
        'Quelle est la différence entre `unknown` et `any`, et pourquoi préférer l’un des deux ?',
        "Comment les unions discriminées aident-elles à modéliser un état de façon sûre ?",
        'À quoi servent les génériques ? Donnez un exemple de fonction générique que vous avez écrite.',
        "Comment typeriez-vous une fonction qui accepte une chaîne ou un tableau de chaînes ?",
      ],
    },
  },
  react: {
    label: 'React',
    questions: {
      en: [
        'How does React decide when to re-render a component?',
        'When would you use useMemo or useCallback, and when are they unnecessary?',
        'How do you manage state shared by distant components?',
        'What problems does the `key` prop solve in lists?',
      ],
      fr: [
        'Comment React décide-t-il de refaire le rendu d’un composant ?',
        'Quand utiliseriez-vous useMemo ou useCallback, et quand sont-ils inutiles ?',
        "Comment gérez-vous un état partagé par des composants éloignés ?",
        'Quels problèmes la prop `key` résout-elle dans les listes ?',
      ],
    },
  },
  node: {
    label: 'Node.js',
    questions: {
      en: [
        'How does Node.js handle many concurrent requests with a single thread?',
        'What are streams in Node.js, and why use them for large files?',
        'How do you handle errors in async code so that the process does not crash?',
        'How would you find a memory leak in a Node.js service?',
      ],
      fr: [
        'Comment Node.js gère-t-il de nombreuses requêtes simultanées avec un seul thread ?',
        'Que sont les streams dans Node.js, et pourquoi les utiliser pour de gros fichiers ?',
        'Comment gérez-vous les erreurs dans du code asynchrone pour que le processus ne plante pas ?',
        'Comment trouveriez-vous une fuite mémoire dans un service Node.js ?',
      ],
    },
  },
  python: {
    label: 'Python',
    questions: {
      en: [
        'What is the difference between a list and a tuple, and when do you use each?',
        'How do generators work, and what are they good for?',
        'What is the GIL, and how does it affect concurrency?',
        'How do you structure and test a Python project?',
      ],
      fr: [
        'Quelle est la différence entre une liste et un tuple, et quand utiliser chacun ?',
        'Comment fonctionnent les générateurs, et à quoi servent-ils ?',
        "Qu'est-ce que le GIL, et quel est son effet sur la concurrence ?",
        'Comment structurez-vous et testez-vous un projet Python ?',
      ],
    },
  },
  sql: {
    label: 'SQL',
    questions: {
      en: [
        'What is the difference between an INNER JOIN and a LEFT JOIN?',
        'How do indexes speed up queries, and what do they cost?',
        'What are transactions and isolation levels for?',
        'How would you find and fix a slow query?',
      ],
      fr: [
        'Quelle est la différence entre un INNER JOIN et un LEFT JOIN ?',
        'Comment les index accélèrent-ils les requêtes, et quel est leur coût ?',
        'À quoi servent les transactions et les niveaux d’isolation ?',
        'Comment trouveriez-vous et corrigeriez-vous une requête lente ?',
      ],
    },
  },
  java: {
    label: 'Java',
    questions: {
      en: [
        'What is the difference between an interface and an abstract class in Java?',
        'How does garbage collection work in the JVM?',
        'How do you make code thread-safe in Java?',
        'What are the contracts of equals and hashCode?',
      ],
      fr: [
        'Quelle est la différence entre une interface et une classe abstraite en Java ?',
        'Comment fonctionne le ramasse-miettes de la JVM ?',
        'Comment rendez-vous du code thread-safe en Java ?',
        'Quels sont les contrats de equals et hashCode ?',
      ],
    },
  },
  devops: {
    label: 'DevOps',
    questions: {
      en: [
        'What does a good CI/CD pipeline look like for a web service?',
        'What is the difference between a container and a virtual machine?',
        'How would you roll out a release with zero downtime?',
        'What do you monitor in production, and how do you get alerted?',
      ],
      fr: [
        'À quoi ressemble un bon pipeline CI/CD pour un service web ?',
        "Quelle est la différence entre un conteneur et une machine virtuelle ?",
        'Comment déploieriez-vous une version sans interruption de service ?',
        'Que surveillez-vous en production, et comment êtes-vous alerté ?',
      ],
    },
  },
  general: {
    label: 'software engineering',
    questions: {
      en: [
        'Tell me about a project you are proud of and your role in it.',
        'Describe a difficult bug you fixed. How did you find it?',
        'How do you make sure your code is maintainable by others?',
        'Tell me about a disagreement in a team and how it was resolved.',
      ],
      fr: [
        'Parlez-moi d’un projet dont vous êtes fier et de votre rôle.',
        'Décrivez un bug difficile que vous avez corrigé. Comment l’avez-vous trouvé ?',
        'Comment vous assurez-vous que votre code reste maintenable par d’autres ?',
        "Parlez-moi d'un désaccord dans une équipe et de la façon dont il a été résolu.",
      ],
    },
  },
};

const ALIASES: Array<[RegExp, Technology]> = [
  [/\btypescript\b|\bts\b/, 'typescript'],
  [/\bjavascript\b|\bjs\b|\becmascript\b/, 'javascript'],
  [/\breact(js|\.js)?\b|\bnext\.?js\b/, 'react'],
  [/\bnode(\.?js)?\b|\bexpress\b|\bfastify\b/, 'node'],
  [/\bpython\b|\bdjango\b|\bflask\b/, 'python'],
  [/\bsql\b|\bpostgres(ql)?\b|\bmysql\b|\bdatabases?\b/, 'sql'],
  [/\bjava\b|\bspring\b|\bjvm\b/, 'java'],
  [/\bdevops\b|\bdocker\b|\bkubernetes\b|\bk8s\b|\bci\/cd\b|\bterraform\b/, 'devops'],
];

/** Maps free-text technology names ("Node.js", "postgres", "TS") to bank entries, in order, without duplicates. */
export function resolveTechnologies(names: readonly string[]): Technology[] {
  const found: Technology[] = [];
  for (const name of names) {
    const normalized = normalize(name);
    for (const [pattern, technology] of ALIASES) {
      if (pattern.test(normalized) && !found.includes(technology)) found.push(technology);
    }
  }
  return found;
}

/** Interleaves the technologies' questions (round robin), padding with general ones. */
export function interviewQuestions(technologies: readonly Technology[], count: number, language: Language): string[] {
  const banks = (technologies.length > 0 ? technologies : ['general' as const]).map((t) => QUESTION_BANK[t].questions[language]);
  const questions: string[] = [];
  for (let round = 0; questions.length < count && round < 4; round++) {
    for (const bank of banks) {
      const question = bank[round];
      if (question !== undefined && questions.length < count) questions.push(question);
    }
  }
  for (const question of QUESTION_BANK.general.questions[language]) {
    if (questions.length >= count) break;
    if (!questions.includes(question)) questions.push(question);
  }
  return questions;
}
