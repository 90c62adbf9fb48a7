/** The console chat of the embedded default. */
export { runConsoleChat, type ConsoleChatOptions } from './console-chat.js';
export { ConsoleNotifier } from './console-notifier.js';
export { renderReplyText, renderIncidentText, renderTableText } from './render-text.js';
