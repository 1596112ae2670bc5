/** The matching engine's public surface: `linkRecords` for the pipeline, the parts for explainers and tests. */
export { linkRecords, DEFAULT_SETTINGS, type JoinedLinks, type Link, type LinkResult, type LinkSettings, type LinkStats, type ReviewDecisions } from './engine.js';
export { prepareRecord, prepareRecords, RecordTable, RecordTableBuilder, type MatchRecord, type MatchRecords, type PreparedRecord, type RecordList } from './record.js';
export {
  COMPARISON_NAMES_VI,
  DEFAULT_COMPARISONS,
  DEFAULT_CORRELATED,
  NULL_LEVEL,
  addressComparison,
  always,
  birthDateComparison,
  citizenIdComparison,
  communeComparison,
  defineComparison,
  nameComparison,
  phoneComparison,
  sexComparison,
  type Comparison,
  type Level,
} from './comparisons.js';
export { blockingKeys, candidatePairs, DEFAULT_BLOCKING_RULES, hashKey, type BlockingOptions, type BlockingRule, type CandidatePairs, type KeyParts } from './blocking.js';
export type { Model } from './model.js';
export { modelFromJson, modelToJson, type LoadedModel, type ModelJson, type UnlabelledModelJson } from './model-json.js';
export { estimateU } from './estimate-u.js';
export { distinctVectors } from './vectors.js';
export { estimateM } from './em.js';
export { estimateLambda } from './lambda.js';
export { buildTfTables, tfTableOfCounts, type TfTables } from './term-frequency.js';
export { tfValue } from './comparisons.js';
export { scorePair, type LevelScore, type PairScore } from './predict.js';
export { estimateMBySession, fitModel } from './training.js';
export { DEFAULT_HARD_RULES, DEFAULT_RECORD_RULES, twinsKey, RULE_REASONS, differentReliableIds, relativeUnderSameId, ruleReasonVi, sameIdFarApart, twins, vetoOf, type HardRule, type Veto } from './rules.js';
export { clusterPairs, linkList, type LinkList, type WeightedLink } from './cluster.js';
export { idStatus } from './citizen-id.js';
export { doseConflictVi, groupDoses, type DoseGroup, type DoseRow } from './doses.js';
