import { describe, expect, it } from 'vitest';
import { eventDigest, parseRelayMessage, peekEventId, RelayMessageError } from './relay-message.js';

const ID = 'a'.repeat(64);

describe('parseRelayMessage', () => {
  it('reads every NIP-01 / NIP-42 message type', () => {
    expect(parseRelayMessage(`["EVENT","s",{"id":"${ID}"}]`)).toEqual({
      type: 'EVENT',
      subscriptionId: 's',
      event: { id: ID },
    });
    expect(parseRelayMessage('["EOSE","s"]')).toEqual({ type: 'EOSE', subscriptionId: 's' });
    expect(parseRelayMessage('["NOTICE","hi"]')).toEqual({ type: 'NOTICE', message: 'hi' });
    expect(parseRelayMessage('["CLOSED","s","auth-required: x"]')).toEqual({
      type: 'CLOSED',
      subscriptionId: 's',
      message: 'auth-required: x',
    });
    expect(parseRelayMessage(`["OK","${ID}",false,"blocked: no"]`)).toEqual({
      type: 'OK',
      eventId: ID,
      accepted: false,
      message: 'blocked: no',
    });
    expect(parseRelayMessage('["AUTH","challenge"]')).toEqual({ type: 'AUTH', challenge: 'challenge' });
  });

  it('tolerates unknown message types', () => {
    expect(parseRelayMessage('["COUNT","s",{"count":3}]')).toEqual({ type: 'unknown', label: 'COUNT' });
  });

  it('rejects frames that are not NIP-01 messages', () => {
    expect(() => parseRelayMessage('not json')).toThrow(RelayMessageError);
    expect(() => parseRelayMessage('{"a":1}')).toThrow(RelayMessageError);
    expect(() => parseRelayMessage('[1,2]')).toThrow(RelayMessageError);
  });
});

describe('peekEventId', () => {
  it('finds the top-level id without parsing', () => {
    expect(peekEventId(Buffer.from(`["EVENT","s",{"kind":1,"id":"${ID}","content":"x"}]`))).toBe(ID);
    expect(peekEventId(Buffer.from(`["EVENT","s",{"id":"${ID}"}]`))).toBe(ID);
    expect(peekEventId(Buffer.from(`["EVENT","s",{"content":"é ✓ 🎉","id":"${ID}"}]`))).toBe(ID);
  });

  it('ignores ids inside escaped content and non-EVENT frames', () => {
    const other = 'b'.repeat(64);
    const frame = JSON.stringify(['EVENT', 's', { content: `{"id":"${other}"}`, id: ID }]);
    expect(peekEventId(Buffer.from(frame))).toBe(ID);
    expect(peekEventId(Buffer.from(`["NOTICE","{\\"id\\":\\"${ID}\\"}"]`))).toBeUndefined();
    expect(peekEventId(Buffer.from('["EVENT","s",{"id":"short"}]'))).toBeUndefined();
  });
});

describe('eventDigest', () => {
  it('is the same for byte-identical events under different subscription ids, else different', () => {
    const event = JSON.stringify({ id: ID, content: 'é ✓ 🎉', kind: 1 });
    const a = eventDigest(Buffer.from(`["EVENT","a",${event}]`));
    expect(a).toBeDefined();
    expect(eventDigest(Buffer.from(`["EVENT","other-sub",${event}]`))).toEqual(a);
    expect(eventDigest(Buffer.from(`["EVENT","a",${event.replace('é', 'e')}]`))).not.toEqual(a);
    expect(eventDigest(Buffer.from('["EVENT","a"]'))).toBeUndefined();
  });
});
