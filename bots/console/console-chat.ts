import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Assistant } from '../../src/assistant/assistant.js';
import { renderReplyText } from './render-text.js';

/** Where the chat reads and writes, and who is asking. */
export interface ConsoleChatOptions {
  assistant: Assistant;
  input?: Readable;
  output?: Writable;
  user: string;
  /** Show a prompt (for a terminal); off when stdin is a pipe so output is only answers. */
  prompt?: boolean;
}

/**
 * The assistant in the terminal: one question per line, answers as text. Lines are answered in
 * order, one at a time; `quit`/`exit` or end of input ends the chat. Resolves with the number of questions.
 */
export async function runConsoleChat(opts: ConsoleChatOptions): Promise<number> {
  const input = opts.input ?? process.stdin;
  const output = opts.output ?? process.stdout;
  const rl = createInterface({ input, terminal: false, crlfDelay: Infinity });
  const prompt = () => {
    if (opts.prompt) output.write('rootgraph> ');
  };
  let asked = 0;
  prompt();
  // for-await keeps lines in order and waits for each answer before reading the next.
  for await (const raw of rl) {
    const text = raw.trim();
    if (text === 'quit' || text === 'exit') break;
    if (text) {
      asked++;
      const reply = await opts.assistant.answer({ text, user: opts.user, channel: 'console' });
      output.write(`${renderReplyText(reply)}\n\n`);
    }
    prompt();
  }
  rl.close();
  return asked;
}
