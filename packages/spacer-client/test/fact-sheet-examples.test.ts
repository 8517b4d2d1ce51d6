/**
 * The JSON examples of the fact sheet (../shared/reference/spacer.md §3-§6), which are written compactly: each decodes
 * to the same message as spacer's example(), and encodes to the same JSON value in Python's spelling.
 */
import { describe, expect, it } from 'vitest';
import { codecs, type MessageType } from '../src/codec/codecs.js';
import { examples } from '../src/messages/examples.js';

const FACT_SHEET: [MessageType, string, (() => unknown) | undefined][] = [
  [
    'DataLocation',
    '{"storage_type": "memory", "key": "my_blob", "bucket_name": null}',
    examples.dataLocation,
  ],
  [
    'ExtractFeaturesMsg',
    '{"job_token":"123abc","extractor":{"class_path":"spacer.extractors.efficientnet.EfficientNetExtractor","data_locations":{"weights":{"storage_type":"filesystem","key":"/path/to/weights.pt","bucket_name":null}},"data_hashes":{}},"rowcols":[[100,100]],"image_loc":{"storage_type":"memory","key":"my_image.jpg","bucket_name":null},"feature_loc":{"storage_type":"memory","key":"my_feats.json","bucket_name":null}}',
    examples.extractFeaturesMsg,
  ],
  ['TrainerSpec', '{"class_path":"spacer.train_classifier.MiniBatchTrainer"}', undefined],
  [
    'TrainClassifierReturnMsg',
    '{"acc":0.7,"pc_accs":[0.4,0.5,0.6],"ref_accs":[0.55,0.65,0.64,0.67,0.70],"runtime":123.4}',
    examples.trainClassifierReturnMsg,
  ],
  [
    'ClassifyReturnMsg',
    '{"runtime":1.1,"scores":[[10,20,[0.1,0.2,0.7]],[20,40,[0.9,0.06,0.04]]],"classes":[100,12,44],"valid_rowcol":true}',
    examples.classifyReturnMsg,
  ],
  [
    'ValResults',
    '{"scores":[0.9,0.8,0.7],"gt":[0,1,0],"est":[0,1,1],"classes":[121,1222]}',
    examples.valResults,
  ],
  [
    'ExtractorSpec',
    '{"class_path":"spacer.extractors.base.DummyExtractor","data_locations":{},"data_hashes":{},"feature_dim":4096}',
    undefined,
  ],
];

describe('fact-sheet examples', () => {
  it.each(FACT_SHEET)('%s', (type, text, example) => {
    const codec = codecs[type];
    const decoded = codec.decode(text);
    if (example) expect(decoded).toEqual(example());
    const encoded = codec.encode(decoded as never);
    expect(JSON.parse(encoded)).toEqual(JSON.parse(text));
    // Python's separators: the compact text with ", " and ": " between tokens.
    expect(encoded).toBe(
      JSON.stringify(JSON.parse(text))
        .replace(/,(?=[[{"\d-]|null|true|false)/g, ', ')
        .replace(/":/g, '": '),
    );
  });

  it('ImageLabels keys are json.dumps strings of DataLocations', () => {
    const encoded = codecs.ImageLabels.encode(examples.imageLabels());
    expect(Object.keys(JSON.parse(encoded))[0]).toBe(
      '{"storage_type": "filesystem", "key": "img1.features", "bucket_name": null}',
    );
    expect(examples.imageLabels().reduce((n, e) => n + e.annotations.length, 0)).toBe(8);
  });
});
