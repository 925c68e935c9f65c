import { describe, expect, it } from 'vitest';
import { inheritanceViolation, type NoticeFacts, type OriginFacts } from '../src/index.js';
import { facts } from './world.js';

/** A Finnish H2 border alert, TLP:AMBER, RESTREINT UE, from SIS, given to at-bmi. */
const alert = facts({
  sender: 'fi-raja',
  handlingCode: 'H2',
  tlp: 'TLP:AMBER',
  classification: 'RESTREINT-UE',
  sources: ['sis'],
});
const origin: OriginFacts = {
  noticeId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  relation: 'reply',
  facts: alert,
  recipients: ['at-bmi', 'de-bka'],
};
const replyWith = (o: Partial<NoticeFacts>) =>
  facts({ handlingCode: 'H2', tlp: 'TLP:AMBER', classification: 'RESTREINT-UE', sources: ['sis'], ...o });

describe('inheritance of markings by replies and forwards', () => {
  it('accepts a reply at least as strict as what it answers', () => {
    expect(inheritanceViolation(replyWith({}), origin)).toBeUndefined();
    expect(inheritanceViolation(replyWith({ handlingCode: 'H3', tlp: 'TLP:RED' }), origin)).toBeUndefined();
    expect(inheritanceViolation(replyWith({ sources: ['sis', 'pnr'] }), origin)).toBeUndefined();
  });

  it.each([
    ['relabelled H0', { handlingCode: 'H0' }, 'HANDLING_CODE_NOT_INHERITED'],
    ['H1 for an H2 notice', { handlingCode: 'H1' }, 'HANDLING_CODE_NOT_INHERITED'],
    ['TLP dropped', { tlp: undefined }, 'TLP_NOT_INHERITED'],
    ['TLP:GREEN for TLP:AMBER', { tlp: 'TLP:GREEN' }, 'TLP_NOT_INHERITED'],
    ['classification dropped', { classification: undefined }, 'CLASSIFICATION_NOT_INHERITED'],
    ['SIS source dropped', { sources: [] }, 'SOURCES_NOT_INHERITED'],
    ['sent by an agency that was not given it', { sender: 'us-cbp' }, 'NOT_A_RECIPIENT_OF_ORIGIN'],
  ] as const)('refuses a reply %s', (_name, o, code) => {
    expect(inheritanceViolation(replyWith(o as Partial<NoticeFacts>), origin)).toBe(code);
  });

  it('lets the provider answer in its own thread', () => {
    expect(inheritanceViolation(replyWith({ sender: 'fi-raja' }), origin)).toBeUndefined();
  });
});
