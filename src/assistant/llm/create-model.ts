import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { RootgraphError } from '../../errors.js';
import type { FreeFormModel } from './free-form-model.js';
import { LangChainModel } from './langchain-model.js';

/** Which provider packages serve which `ROOTGRAPH_LLM` prefix, and the class to build. */
const PROVIDERS: Record<
  string,
  { pkg: string; cls: string; options: (model: string, baseUrl?: string) => Record<string, unknown> }
> = {
  openai: {
    pkg: '@langchain/openai',
    cls: 'ChatOpenAI',
    options: (model, baseUrl) => ({
      model,
      temperature: 0,
      ...(baseUrl ? { configuration: { baseURL: baseUrl } } : {}),
    }),
  },
  ollama: {
    pkg: '@langchain/ollama',
    cls: 'ChatOllama',
    options: (model, baseUrl) => ({ model, temperature: 0, ...(baseUrl ? { baseUrl } : {}) }),
  },
};

/**
 * Reads `ROOTGRAPH_LLM` (`openai:<model>[@<base-url>]` for any OpenAI-compatible endpoint, or
 * `ollama:<model>[@<base-url>]`) into a spec. Pure; throws CONFIG_INVALID on anything else.
 */
export function parseModelSpec(spec: string): { provider: string; model: string; baseUrl?: string } {
  const m = /^(\w+):([^@]+)(?:@(.+))?$/.exec(spec.trim());
  if (!m || !PROVIDERS[m[1]]) {
    throw new RootgraphError('CONFIG_INVALID', `ROOTGRAPH_LLM: cannot read "${spec}".`, {
      hint: 'Use openai:<model>[@<base-url>] or ollama:<model>[@<base-url>], or unset it.',
    });
  }
  return { provider: m[1], model: m[2], ...(m[3] ? { baseUrl: m[3] } : {}) };
}

/**
 * Builds the configured chat model. The provider package is loaded only when configured (it is not
 * a dependency of the embedded default); missing, it is a CONFIG_INVALID naming the package.
 */
export async function createFreeFormModel(spec: string): Promise<FreeFormModel> {
  const { provider, model, baseUrl } = parseModelSpec(spec);
  const p = PROVIDERS[provider];
  let mod: Record<string, new (o: Record<string, unknown>) => BaseChatModel>;
  try {
    mod = (await import(p.pkg)) as typeof mod;
  } catch (err) {
    throw new RootgraphError(
      'CONFIG_INVALID',
      `ROOTGRAPH_LLM=${spec} needs the package ${p.pkg}, which is not installed.`,
      { hint: `Install ${p.pkg}, or unset ROOTGRAPH_LLM for deterministic answers.`, cause: err },
    );
  }
  return new LangChainModel(new mod[p.cls](p.options(model, baseUrl)), spec);
}
