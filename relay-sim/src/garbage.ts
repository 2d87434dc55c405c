/** Frames a broken relay might send: not JSON, not arrays, wrong shapes, unknown verbs. */
export function garbageFrame(n: number, subId: string): string | Buffer {
  const frames: (string | Buffer)[] = [
    'this is not json',
    '{"not":"an array"}',
    '["EVENT"]',
    `["EVENT",${JSON.stringify(subId)}]`,
    `["EVENT",${JSON.stringify(subId)},"not an event"]`,
    `["EVENT",${JSON.stringify(subId)},null]`,
    '["WHATEVER",1,2,3]',
    '[]',
    '"just a string"',
    '42',
    '["EOSE"]',
    '[["nested"]]',
    '["NOTICE"',
    Buffer.from([0, 1, 2, 3, 255, 254]),
  ];
  return frames[n % frames.length] ?? 'x';
}
