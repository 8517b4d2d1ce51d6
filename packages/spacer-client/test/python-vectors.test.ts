/**
 * Byte-exactness against pyspacer 0.14 itself: test/fixtures/python-vectors.json holds what pyspacer's own message
 * code wrote with `json.dumps(msg.serialize())` (made by test/oracle/make_vectors.py), and what its deserializers
 * accepted or refused.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { codecs, type MessageType } from '../src/codec/codecs.js';
import { SpacerMessageError } from '../src/errors.js';
import { examples } from '../src/messages/examples.js';

interface Vector {
  name: string;
  type: MessageType;
  input?: string;
  python?: string;
  error?: string;
  detail?: string;
}

const vectors: Vector[] = JSON.parse(
  readFileSync(new URL('./fixtures/python-vectors.json', import.meta.url), 'utf8'),
);
const built = vectors.filter((v) => v.input === undefined);
const accepted = vectors.filter((v) => v.input !== undefined && v.python !== undefined);
const refused = vectors.filter((v) => v.error !== undefined);

const EXAMPLES: Partial<Record<MessageType, () => unknown>> = {
  DataLocation: examples.dataLocation,
  ImageLabels: examples.imageLabels,
  TrainingTaskLabels: examples.trainingTaskLabels,
  ValResults: examples.valResults,
  ExtractFeaturesMsg: examples.extractFeaturesMsg,
  ExtractFeaturesReturnMsg: examples.extractFeaturesReturnMsg,
  TrainClassifierMsg: examples.trainClassifierMsg,
  TrainClassifierReturnMsg: examples.trainClassifierReturnMsg,
  ClassifyFeaturesMsg: examples.classifyFeaturesMsg,
  ClassifyImageMsg: examples.classifyImageMsg,
  ClassifyReturnMsg: examples.classifyReturnMsg,
  JobMsg: examples.jobMsg,
  JobReturnMsg: examples.jobReturnMsg,
};

describe('example() messages encode to the bytes pyspacer writes', () => {
  it.each(Object.entries(EXAMPLES))('%s', (type, make) => {
    const vector = built.find((v) => v.name === `${type}.example()`);
    expect(codecs[type as MessageType].encode(make() as never)).toBe(vector?.python);
  });
});

describe('messages pyspacer wrote decode and encode back to the same bytes', () => {
  it.each(built.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    const codec = codecs[vector.type];
    const decoded = codec.decode(vector.python as string);
    expect(codec.encode(decoded as never)).toBe(vector.python);
    // and the value survives a second trip unchanged
    expect(codec.decode(codec.encode(decoded as never))).toEqual(decoded);
  });
});

describe('what pyspacer accepts is read and written back as pyspacer writes it', () => {
  it.each(accepted.map((v) => [v.name, v] as const))('%s', (name, vector) => {
    const codec = codecs[vector.type];
    const encoded = codec.encode(codec.decode(vector.input as string) as never);
    if (name === 'ClassifyReturnMsg int runtime stays int in Python') {
      // The one deliberate difference: float fields are always written as floats (spacer's workers only write
      // floats there; JS cannot tell 2 from 2.0).
      expect(vector.python).toBe(
        '{"runtime": 2, "scores": [[1, 2, [1]]], "classes": [7], "valid_rowcol": true}',
      );
      expect(encoded).toBe(
        '{"runtime": 2.0, "scores": [[1, 2, [1.0]]], "classes": [7], "valid_rowcol": true}',
      );
    } else {
      expect(encoded).toBe(vector.python);
    }
  });
});

/** The field each refusal must name. */
const REFUSED_PATHS: Record<string, string> = {
  'trainer unknown param': 'trainer',
  'missing job_token': 'job_token',
  'empty rowcols': 'rowcols',
  'rowcol of three': 'rowcols[0]',
  'url feature_loc': 'feature_loc.storage_type',
  'EfficientNet without weights': 'extractor.data_locations.weights',
  's3 without bucket_name': 'bucket_name',
  'unknown storage_type': 'storage_type',
  'DataLocation extra key': '(root)',
  'unknown task_name': 'task_name',
  'ImageLabels pre-0.13 key': '["img1.features"]',
  'ValResults index out of range': 'gt[0]',
  'ValResults negative index': 'est[0]',
  'ValResults unequal lengths': 'scores',
  'ValResults empty': 'gt',
  'ExtractFeaturesReturnMsg extra key': '(root)',
};

describe('what pyspacer refuses is refused, naming the field', () => {
  it.each(refused.map((v) => [`${v.name} (${v.error}: ${v.detail})`, v] as const))('%s', (_name, vector) => {
    const codec = codecs[vector.type];
    let error: unknown;
    try {
      codec.decode(vector.input as string);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SpacerMessageError);
    const paths = (error as SpacerMessageError).issues.map((i) => i.path);
    expect(paths).toContain(REFUSED_PATHS[vector.name]);
  });

  it('names every refused vector', () => {
    expect(Object.keys(REFUSED_PATHS).sort()).toEqual(refused.map((v) => v.name).sort());
  });
});
