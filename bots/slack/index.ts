/** The Slack bot: thin Bolt handlers over the assistant, incident cards, feedback. */
export {
  createSlackApp,
  slackModeFromConfig,
  type SlackAppOptions,
  type SlackBot,
  type SlackMode,
} from './create-slack-app.js';
export { SlackNotifier, type SlackNotifierOptions } from './slack-notifier.js';
export { SlackOutbox } from './slack-outbox.js';
export { CardIndex } from './card-index.js';
export { parseRoutingConfig, routeIncident, RoutingConfig } from './routing.js';
export { SlackGroupMembership } from './slack-groups.js';
export { toIncidentBlocks, incidentFallbackText } from './render/incident-blocks.js';
export { toReplyBlocks } from './render/reply-blocks.js';
export { limitViolations, SLACK_LIMITS } from './render/limits.js';
export { toHomeView } from './register-home.js';
