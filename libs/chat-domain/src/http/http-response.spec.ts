import { sendErrorAnswer } from './http-response';

const body = { error: 'Demasiadas solicitudes.', code: 'rate_limited' };
const headers = { 'Retry-After': '7' };

/** An answer as Express or Fastify hands it to a filter: `header`, `status`, `send`. */
function reply(state: { headersSent?: boolean; sent?: boolean; raw?: { headersSent: boolean } } = {}) {
  return { ...state, header: jest.fn(), status: jest.fn(), send: jest.fn() };
}

/** Node's own response, as Nest hands it to the filters on Fastify for a middleware's error. */
function nodeResponse(headersSent = false) {
  return { headersSent, statusCode: 200, setHeader: jest.fn(), end: jest.fn() };
}

describe('sendErrorAnswer', () => {
  it("answers through the adapter's reply: headers, status, body", () => {
    const answer = reply({ headersSent: false });
    sendErrorAnswer(answer, 429, body, headers);
    expect(answer.header).toHaveBeenCalledWith('Retry-After', '7');
    expect(answer.status).toHaveBeenCalledWith(429);
    expect(answer.send).toHaveBeenCalledWith(body);
  });

  it("answers on Node's own response as JSON", () => {
    const answer = nodeResponse();
    sendErrorAnswer(answer, 429, body, headers);
    expect(answer.statusCode).toBe(429);
    expect(answer.setHeader.mock.calls).toEqual([
      ['Retry-After', '7'],
      ['Content-Type', 'application/json; charset=utf-8'],
    ]);
    expect(answer.end).toHaveBeenCalledWith(JSON.stringify(body));
  });

  it('leaves an answer that has started alone (Express, a Fastify reply sent or whose Node response sent headers, Node)', () => {
    for (const started of [reply({ headersSent: true }), reply({ sent: true }), reply({ sent: false, raw: { headersSent: true } })]) {
      sendErrorAnswer(started, 500, body, {});
      expect([started.header, started.status, started.send].map((call) => call.mock.calls.length)).toEqual([0, 0, 0]);
    }
    const node = nodeResponse(true);
    sendErrorAnswer(node, 500, body, {});
    expect([node.setHeader.mock.calls.length, node.end.mock.calls.length, node.statusCode]).toEqual([0, 0, 200]);
  });
});
