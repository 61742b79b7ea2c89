// Server scenarios that cannot pass against a stateless Streamable HTTP server, each with the reason
// and the exact outcome that reason produces. run.mjs reports a scenario as "excepted" only when it
// ends exactly so; if one starts passing, or fails another way, it is a failure (update this list).
// tests/conformance/README.md explains each entry.

export const failsWith = (id, message) => (checks) =>
  checks.some((c) => c.status === 'FAILURE' && c.id === id && c.errorMessage === message) &&
  checks.every((c) => c.status !== 'FAILURE' || (c.id === id && c.errorMessage === message));

// The scenario warns that no session id came back and checks nothing else that could fail.
export const warnsNoSession = (id) => (checks) =>
  checks.some((c) => c.status === 'WARNING' && c.id === id) && checks.every((c) => c.status !== 'FAILURE');

const serverToClient =
  'needs a server-to-client request during the tool call; in stateless mode the SDK refuses it ' +
  '("… is not supported in stateless mode"), so the fixture tool answers with an error result saying so';

export const EXCEPTED = {
  'tools-call-sampling': {
    reason: `sampling/createMessage ${serverToClient}`,
    matches: failsWith('tools-call-sampling', 'Server did not request sampling from client'),
  },
  'tools-call-elicitation': {
    reason: `elicitation/create ${serverToClient}`,
    matches: failsWith('tools-call-elicitation', 'Server did not request elicitation from client'),
  },
  'elicitation-sep1034-defaults': {
    reason: `elicitation/create (with defaults) ${serverToClient}`,
    matches: failsWith('elicitation-sep1034-general', 'Server did not request elicitation from client'),
  },
  'elicitation-sep1330-enums': {
    reason: `elicitation/create (enum shapes) ${serverToClient}`,
    matches: failsWith('elicitation-sep1330-general', 'Server did not request elicitation from client'),
  },
  'server-sse-polling': {
    reason:
      'SSE polling (SEP-1699) resumes a stream by session id and Last-Event-ID from an event store; a stateless ' +
      'server issues no session id and keeps no events, so it sends no priming event or retry field (warnings); ' +
      'test_reconnection returns its result on the POST stream',
    matches: warnsNoSession('server-sse-polling-session'),
  },
  'server-sse-multiple-streams': {
    reason: 'the scenario needs an Mcp-Session-Id to open several streams of one session; a stateless server issues none (warning, nothing tested)',
    matches: warnsNoSession('server-sse-multiple-streams-session'),
  },
};
