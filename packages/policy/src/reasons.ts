/** Why a recipient gets what it gets. Stable codes: auditors and tests match on them. */
export const REASONS = {
  COMMUNITY_MEMBER: 'is a member-state authority or EU agency of the exchange community (operational)',
  AGREEMENT_OPERATIONAL: 'has an operational agreement in force at the notice time',
  AGREEMENT_STRATEGIC: 'has a strategic agreement in force at the notice time (non-personal data only)',
  AGREEMENT_NONE: 'has an agreement of level "none" in force at the notice time',
  NO_AGREEMENT: 'has no agreement with the exchange community',
  AGREEMENT_EXPIRED: 'had an agreement that was no longer in force at the notice time',
  AGREEMENT_NOT_YET_VALID: 'has an agreement that was not yet in force at the notice time',
  OUT_OF_CRIME_AREA_SCOPE: "is outside its agreement's crime-area scope for this notice",
  NOT_IN_AUDIENCE: 'is not in the audience the sender asked for',
  DENIED_BY_SENDER: 'was excluded by the sender',
  TLP_NAMED_RECIPIENTS_ONLY:
    'was not named by the sender, and TLP:RED / TLP:AMBER+STRICT go to named recipients only',
  KEY_REVOKED: 'has its encryption key revoked',
  NO_VALID_KEY: 'has no encryption key valid now',
  NO_NON_PERSONAL_CONTENT: 'may only receive non-personal data, and this notice has none',
  NOTICE_EXPIRED: 'would receive a notice past its expiry',
  UNKNOWN_RECIPIENT: 'is not in the registry',
  NOT_A_SUBSCRIBER: 'does not have the subscriber role',
  SENDER_ITSELF: 'is the sender',
  SENDER_NOT_PUBLISHER: 'cannot receive from a sender that lacks the publisher role',
  NOT_CLEARED: 'is not cleared for the classification of this notice',
  NOT_A_COMMUNITY_MEMBER:
    'is registered as a member-state authority or EU agency without being one (country or body not on the fixed lists)',
  SIS_NO_THIRD_PARTY:
    'is a third party, and SIS data and the fact an SIS alert exists never go to third countries or international organisations (Reg. 2018/1862 Art. 65)',
  PNR_TRANSFER_NOT_JUSTIFIED:
    'is a third country, and PNR data goes there only case by case for terrorism or serious crime, justified by the sender for this recipient (Directive 2016/681 Art. 11)',
  PNR_CONSENT_MISSING:
    "is a third country, and the PNR data came from another member state's PIU whose consent is not recorded",
  PNR_DPO_NOT_INFORMED:
    "is a third country, and the sending PIU's data protection officer was not recorded as informed before the transfer",
  PNR_TRANSFER_JUSTIFIED:
    'is a third country receiving PNR data under a recorded Art. 11 justification (ground, consent, DPO informed)',
  KIND_NOT_STRATEGIC:
    'may only receive non-personal data, and this kind is person-centred: it reaches strategic partners only when the sender opts in',
  STRATEGIC_OPT_IN:
    'may receive this person-centred notice in coarsened form, because the sender opted in for it',
  ERASURE_REQUEST:
    'received the notice this erasure request names, and is told to erase it (it carries no data)',
  // Conversations (docs/conversations.md): a reply or forward, by what it answers or forwards.
  ORIGIN_PROVIDER: 'provided the notice this one answers or forwards',
  ORIGIN_RECIPIENT: 'was given the notice this one answers or forwards',
  ONWARD_ALLOWED:
    'may receive onward what the notice this one answers or forwards would have given it (no permission needed for its markings)',
  ONWARD_PERMITTED: "is named in the provider's recorded permission to disseminate the notice onward",
  ONWARD_NEEDS_PERMISSION:
    "was not given the notice this one answers or forwards, which is H2, TLP:RED or TLP:AMBER+STRICT: onward dissemination needs the provider's permission",
  EXCLUDED_BY_ORIGIN:
    'would not have received the notice this one answers or forwards (its audience, markings or rules exclude it), and the provider gave no permission',
  CAPPED_BY_ORIGIN:
    'receives no more than the notice this one answers or forwards would have given it (its non-personal layer)',
} as const;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];
