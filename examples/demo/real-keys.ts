/** Which real providers the environment has keys for. Never returns or prints the keys themselves. */
export const realKeys = (env: NodeJS.ProcessEnv = process.env) => ({
  openai: Boolean(env.OPENAI_API_KEY),
  anthropic: Boolean(env.ANTHROPIC_API_KEY),
  mistral: Boolean(env.MISTRAL_API_KEY),
});
