import type { Templates } from './templates-en.js';

export const TEMPLATES_FR: Templates = {
  and: 'et',
  honesty:
    "Pour être honnête : je suis le moteur hors ligne de Coach Hub, un ensemble de règles et de modèles de réponses intégré, pas un modèle d'IA. Je peux quand même vous aider sur l'essentiel. Pour de vraies conversations avec une IA, un administrateur peut connecter un modèle (OpenAI, un serveur compatible OpenAI ou un fichier GGUF local).",
  honestyInCharacter:
    "(Je sors du jeu de rôle un instant : je suis le moteur hors ligne de Coach Hub, à base de règles et pas un modèle d'IA, donc mes réponses suivent le script du scénario.) Je reprends mon rôle : {objection}",
  crisis:
    "Je suis vraiment désolé que vous traversiez ça, et merci de l'avoir dit. Vous méritez le soutien d'une personne dès maintenant : appelez le 3114 (numéro national de prévention du suicide, 24h/24) ou le 15 / 112 en cas d'urgence. Si vous le pouvez, parlez-en à quelqu'un de confiance. Je suis là pour vous écouter aussi.",
  chat: {
    unethical: [
      "Je ne vous aiderai pas pour ça : mettre la pression, piéger ou manipuler quelqu'un abîme la confiance et ignore son consentement. Par contre, je peux vous aider à montrer un intérêt sincère et à dire honnêtement ce que vous voulez. Qu'est-ce qui vous attire chez cette personne ?",
      "Cette approche va à l'encontre du respect et du consentement, donc je passe mon tour. Une attirance durable naît de l'honnêteté et de la confiance. Voulez-vous plutôt travailler à exprimer clairement votre intérêt ?",
    ],
    greeting: [
      "Bonjour ! Je suis content que vous soyez là. Sur quoi voulez-vous travailler aujourd'hui : la confiance en rendez-vous, une situation précise ou un objectif personnel ?",
      "Bonjour ! Dites-moi ce qui vous occupe l'esprit aujourd'hui, et avançons pas à pas.",
    ],
    thanks: [
      "Avec plaisir ! Rappelez-vous : de petits pas réguliers valent mieux qu'un grand saut. Quelle chose allez-vous essayer cette semaine ?",
      "Avec plaisir. C'est vous qui faites le travail, et ça compte. Y a-t-il autre chose que vous aimeriez explorer ?",
    ],
    goodbye: [
      'Prenez soin de vous ! Soyez bienveillant avec vous-même, et revenez quand vous voulez pour débriefer.',
      "À bientôt ! J'ai hâte de savoir comment se passe votre prochaine étape.",
    ],
    rejection: [
      "Un refus, ça fait mal, et c'est normal d'être déçu. Ça parle surtout de compatibilité et de timing, pas de votre valeur. Qu'avez-vous appris sur ce que vous voulez ?",
      "Je suis désolé, c'est douloureux. Oser vous lancer demandait du courage, et ce courage vous appartient toujours. Comment prenez-vous soin de vous en ce moment ?",
    ],
    anxiety: [
      "Être stressé, c'est normal : ça veut dire que c'est important pour vous. Essayez de respirer lentement : inspirez 4 secondes, expirez 6 secondes, plusieurs fois. Qu'est-ce qui vous inquiète le plus ?",
      "Ce trac peut devenir de l'enthousiasme avec un peu de préparation. Imaginez que les deux premières minutes se passent bien. Que diriez-vous ou feriez-vous ?",
    ],
    firstDate: [
      "Pour un premier rendez-vous, choisissez un lieu où vous êtes à l'aise et où l'on peut parler, préparez deux ou trois questions ouvertes, et misez sur la curiosité plutôt que sur l'envie d'impressionner. Quel genre de rendez-vous prévoyez-vous ?",
      "Un bon premier rendez-vous, c'est une rencontre, pas une performance : écoutez, partagez un peu de vous, et restez sincère. Qu'est-ce qui vous réjouit le plus ?",
    ],
    texting: [
      "Restez simple et sincère : mentionnez quelque chose de précis que vous avez remarqué chez la personne, puis posez une question ouverte. Que savez-vous de ses centres d'intérêt ?",
      'Un bon message est court, personnel et facile à répondre. Par exemple, rebondissez sur un détail de son profil et posez une question. Que voudriez-vous lui dire ?',
    ],
    confidence: [
      "La confiance se construit en agissant, pas avant. Commencez petit : une conversation, un compliment sincère, un pas hors de votre zone de confort. Quel petit pas pourriez-vous faire cette semaine ?",
      "Beaucoup de gens ressentent ça, et ça ne vous définit pas. Listons trois qualités que les autres apprécient chez vous. Laquelle vous vient en premier ?",
    ],
    loneliness: [
      "Se sentir seul, c'est difficile, et merci de le partager. Les liens naissent souvent d'activités partagées : un club, un cours, du bénévolat. Qu'aimez-vous faire que d'autres font aussi ?",
      "Vous n'êtes pas le seul à vous sentir seul. Y a-t-il une personne à qui vous pourriez écrire cette semaine, même un court message ?",
    ],
    goals: [
      'Rendons ça concret : un objectif, une toute petite habitude quotidienne et un moyen de la suivre. Quel objectif compte le plus pour vous en ce moment ?',
      "La motivation suit l'action. Choisissez la plus petite version de votre objectif, faisable en deux minutes aujourd'hui. À quoi ressemblerait-elle ?",
    ],
    reflect: [
      "J'ai l'impression que « {snippet} » compte beaucoup pour vous. Pouvez-vous m'en dire plus sur ce que vous ressentez quand vous y pensez ?",
      'Merci de partager ça. Quand vous dites « {snippet} », à quoi ressemblerait une bonne issue pour vous ?',
    ],
    fallback: [
      "Je vous écoute. Dites-m'en un peu plus, et nous trouverons ensemble une prochaine étape.",
      "Qu'aimeriez-vous changer, ou sur quoi aimeriez-vous vous sentir plus en confiance ?",
    ],
  },
  roleplay: {
    defaultPersona: { name: 'Alex Martin', role: 'responsable des achats', company: 'Nordia Logistique' },
    defaultObjections: [
      'Votre prix est plus élevé que ce que nous payons aujourd’hui.',
      "Nous sommes en plein trimestre chargé, ce n'est pas le bon moment pour changer.",
      'Nous travaillons déjà avec un fournisseur en qui nous avons confiance.',
    ],
    opening: [
      "Bonjour, je suis {name}, {role} chez {company}. J'ai quelques minutes. Je vous le dis franchement : {objection}",
      "Bonjour, {name}, {role} chez {company}. Avant d'aller plus loin, sachez que : {objection}",
    ],
    pushBack: [
      'Je ne suis pas encore convaincu. {objection} Pouvez-vous être plus précis, avec des faits ou un exemple ?',
      "C'est un peu général. Mon inquiétude reste la même : {objection} Pourquoi est-ce que ça devrait me faire changer d'avis ?",
    ],
    accept: [
      "D'accord, c'est un argument valable. Mais il y a autre chose : {objection}",
      'Bon, ça m’aide. Cela dit, {objection}',
    ],
    convinced: [
      "Vous savez quoi, vous avez répondu à mes inquiétudes. Fixons une prochaine étape : envoyez-moi une proposition et prévoyons un point de suivi.",
      "Très bien, vous m'avez convaincu. Je suis prêt à avancer : de quoi avez-vous besoin pour démarrer ?",
    ],
    afterConvinced: [
      "Comme je vous l'ai dit, je suis partant. Mettons-nous d'accord sur la prochaine étape et une date.",
      "C'est bon pour moi. Envoyez-moi les détails et je le fais valider.",
    ],
  },
  debrief: {
    noTranscript:
      "Je n'ai pas la transcription de votre séance. Pouvez-vous me raconter en quelques phrases comment ça s'est passé : ce que vous vouliez obtenir, et ce qui s'est passé ?",
    overview:
      'Revenons ensemble sur votre séance. Vous avez pris la parole {learnerTurns} fois sur {turns} tours ({talkShare} % des mots) et posé {questions} question(s).',
    quote: ['À un moment, vous avez dit : « {quote} »', "J'ai relevé cette phrase de votre part : « {quote} »"],
    acknowledge: ['Merci pour cette réflexion.', "C'est une observation utile.", 'Très bien, gardez ça en tête.'],
    questions: {
      asked: [
        "Qu'espériez-vous apprendre avec cette question, et l'avez-vous obtenu ?",
        "En quoi cette question vous a-t-elle aidé à comprendre votre interlocuteur ?",
      ],
      long: [
        'Cette intervention était longue. Comment pourriez-vous dire la même chose en deux phrases ?',
        "Comment pensez-vous que votre interlocuteur l'a vécue pendant qu'il écoutait ?",
      ],
      figures: [
        'Vous avez utilisé des chiffres concrets. Comment ont-ils été reçus, et qu’est-ce qui les rendrait plus convaincants ?',
        'Quelle preuve pourrait appuyer ces chiffres la prochaine fois ?',
      ],
      generic: [
        "Quelle était votre intention à ce moment-là, et comment pensez-vous que ça a été reçu ?",
        'Si vous pouviez rejouer ce moment, que garderiez-vous et que changeriez-vous ?',
      ],
    },
    wrapUp: 'Faisons le bilan. {strength} {tip} Quelle est la chose que vous ferez différemment la prochaine fois ?',
    strengthQuestions: 'Un point fort : vous avez posé des questions pour comprendre votre interlocuteur.',
    tipQuestions: "Piste de progrès : posez davantage de questions ouvertes (« quoi », « comment ») avant de présenter vos idées.",
    strengthBalance: "Un point fort : vous avez laissé de la place à votre interlocuteur pour s'exprimer.",
    tipBalance: "Piste de progrès : vous avez beaucoup parlé ({talkShare} %), essayez d'écouter davantage et de reformuler ce que vous entendez.",
    closing: 'Beau travail de réflexion sur cette séance. Revenez après votre prochain entraînement et nous comparerons.',
  },
  interviewer: {
    intro: "Bonjour et bienvenue ! Je serai votre recruteur aujourd'hui. Nous allons parcourir {count} questions sur {topics}. Prenez votre temps et réfléchissez à voix haute. Première question : {question}",
    next: ['Merci. Question suivante : {question}', 'Bien noté. Passons à la suite : {question}', "D'accord. Voici la prochaine : {question}"],
    followUp: [
      'Pouvez-vous aller un peu plus loin ? Par exemple, décrivez une situation concrète tirée d’un projet.',
      'Pouvez-vous donner un exemple, et expliquer les compromis en jeu ?',
    ],
    followUpUnknown: [
      'Pas de souci, ça arrive. Comment feriez-vous pour trouver la réponse si vous rencontriez ce cas au travail ?',
      "Ce n'est pas grave. Que savez-vous de proche, et comment raisonneriez-vous ?",
    ],
    mentioned: 'Vous avez mentionné « {term} », très bien.',
    wrapUp:
      "C'était la dernière question, merci ! Vous trouverez votre retour et votre score dans le résumé de l'entretien. Avez-vous des questions pour moi ?",
    afterWrapUp: 'Merci encore pour votre temps. Cet entretien est terminé ; bonne préparation !',
  },
  kiosk: {
    greeting:
      'Bonjour et bienvenue à {gym} ! Je peux vous aider pour les horaires, le planning des cours, le matériel, des conseils nutrition, réserver un coach ou signaler un problème. De quoi avez-vous besoin ?',
    thanks: 'Avec plaisir ! Bonne séance.',
    fallback:
      'Je peux vous aider pour les horaires, le planning des cours, le matériel, des conseils nutrition, réserver un coach ou signaler un problème. Que souhaitez-vous ?',
    noTool: {
      hours: "Je ne peux pas consulter les horaires du jour depuis cette borne pour le moment. Ils sont affichés à l'accueil et dans l'application des membres.",
      schedule: "Je n'ai pas accès au planning des cours en direct pour le moment. Il est affiché près des studios et dans l'application des membres.",
      issue: "Merci de me le signaler. Je ne peux pas créer de ticket d'ici pour le moment : prévenez l'équipe à l'accueil pour qu'elle puisse réparer rapidement.",
      equipment:
        "Conseils de sécurité généraux : réglez le siège et les réglages à votre taille avant de commencer, démarrez avec une charge légère, gardez un mouvement contrôlé, et demandez à un coach en cas de doute.",
      nutrition:
        "Conseils généraux (pas un avis médical) : prenez des repas réguliers avec des protéines et des légumes, hydratez-vous avant et après l'entraînement, et prenez une collation avec glucides et protéines dans les deux heures après la séance.",
      booking: "Je ne peux pas réserver de coach depuis cette borne pour le moment. L'équipe de l'accueil peut le faire pour vous.",
    },
    toolLead: {
      hours: "Voici les horaires d'ouverture :",
      schedule: 'Voici le planning des cours :',
      issue: 'Merci, votre signalement est enregistré :',
      equipment: "Voici comment l'utiliser :",
      nutrition: 'Voici quelques conseils nutrition :',
      booking: 'Votre demande de réservation est faite :',
    },
    toolError: "Désolé, je n'ai pas pu obtenir cette information pour le moment. Renseignez-vous à l'accueil.",
    defaultGymName: 'la salle',
  },
};
