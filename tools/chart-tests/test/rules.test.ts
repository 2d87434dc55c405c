import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkRules, renderedRulesFile, ruleWorkspace, testRules } from '../src/promtool.js';

const ALERT_COUNT = 8;

describe('promtool on the rendered PrometheusRule', () => {
  const { dir, tests } = ruleWorkspace(renderedRulesFile());
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('promtool check rules accepts the rules', () => {
    const result = checkRules(dir);
    expect(result.output).toContain(`SUCCESS: ${ALERT_COUNT} rules found`);
    expect(result.status).toBe(0);
  });

  it('has one promtool test file per alert', () => {
    expect(tests).toHaveLength(ALERT_COUNT);
  });

  for (const file of tests) {
    it(`${file}: fires on the failing series, quiet on the healthy ones`, () => {
      const result = testRules(dir, file);
      expect(result.status, result.output).toBe(0);
    });
  }
});

describe('the promtool tests depend on the rules', () => {
  const { dir, tests } = ruleWorkspace('groups: []\n');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every test file fails when the alerts are missing', () => {
    for (const file of tests) expect(testRules(dir, file).status, file).not.toBe(0);
  });

  it('a raised threshold silences the firing case', () => {
    const raised = ruleWorkspace(renderedRulesFile(['metrics.prometheusRule.relaysConnectedMin=10']));
    try {
      expect(testRules(raised.dir, 'NostrInfoCollectorRelaysConnectedLow.test.yaml').status).not.toBe(0);
      expect(testRules(raised.dir, 'NostrInfoServiceDown.test.yaml').status).toBe(0);
    } finally {
      rmSync(raised.dir, { recursive: true, force: true });
    }
  });
});
