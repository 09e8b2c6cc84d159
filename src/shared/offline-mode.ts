/** Shown by the UI next to the "offline mode" label (the offline LLM engine answers). */
export const OFFLINE_MODE_HINT = {
  en: 'Offline mode: replies come from a built-in rule-based engine, not an AI model. To use a real model, set OPENAI_API_KEY (or OPENAI_BASE_URL for Ollama, vLLM, LM Studio) or put a .gguf file in ./models, then restart.',
  fr: "Mode hors ligne : les réponses viennent d'un moteur à règles intégré, pas d'un modèle d'IA. Pour utiliser un vrai modèle, définissez OPENAI_API_KEY (ou OPENAI_BASE_URL pour Ollama, vLLM, LM Studio) ou placez un fichier .gguf dans ./models, puis redémarrez.",
} as const;
