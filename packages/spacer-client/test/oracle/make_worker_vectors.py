"""
Writes test/fixtures/pyspacer-worker.json and test/fixtures/features-pyspacer.npz: what pyspacer 0.14's own
process_job does with jobs the fake worker must imitate. DummyExtractor jobs and the label checks run for real with
Debian's python3-numpy and python3-pil; torch, sklearn and boto3 are empty stand-ins (pyspacer_stubs.py), which no
code path used here reaches. SPACER_MAX_IMAGE_PIXELS is lowered so the pixel limit is met with a small image.

    SPACER_MAX_IMAGE_PIXELS=5000 PYTHONPATH=test/oracle:/path/to/pyspacer /usr/bin/python3 test/oracle/make_worker_vectors.py

The committed file is then formatted by biome (npx biome check --write): compare regenerated output as JSON values.
"""
import json
import os

import pyspacer_stubs  # noqa: F401  (must come before spacer)
from PIL import Image
from spacer.data_classes import DataLocation, ImageLabels
from spacer.extractors import DummyExtractor
from spacer.messages import ExtractFeaturesMsg, JobMsg, TrainClassifierMsg, TrainingTaskLabels
from spacer.storage import storage_factory, store_image
from spacer.tasks import process_job

assert os.environ.get('SPACER_MAX_IMAGE_PIXELS') == '5000'
mem = lambda key: DataLocation('memory', key)  # noqa: E731
store_image(mem('img'), Image.new('RGB', (100, 40)))      # width 100, height 40: 4000 pixels
store_image(mem('big'), Image.new('RGB', (101, 50)))      # 5050 pixels > 5000


def extract(image_loc, rowcols, feature_key='f.npz', dim=4):
    return ExtractFeaturesMsg(job_token='t', extractor=DummyExtractor(feature_dim=dim), rowcols=rowcols,
                              image_loc=image_loc, feature_loc=mem(feature_key))


cases = []


def last_line(name, job, **extra):
    ret = process_job(job)
    assert not ret.ok, name
    cases.append({'name': name, 'job': json.dumps(job.serialize()), 'last_line': ret.error_message.strip().splitlines()[-1],
                  **extra})


last_line('missing memory image', JobMsg('extract_features', [extract(mem('missing_image'), [(0, 0)])]))
last_line('row outside', JobMsg('extract_features', [extract(mem('img'), [(40, 0)])]))
last_line('column outside', JobMsg('extract_features', [extract(mem('img'), [(0, 100)])]))
last_line('negative row', JobMsg('extract_features', [extract(mem('img'), [(-1, 0)])]))
last_line('negative column', JobMsg('extract_features', [extract(mem('img'), [(0, -2)])]))
last_line('too many pixels', JobMsg('extract_features', [extract(mem('big'), [(0, 0)])]))
last_line('too many points', JobMsg('extract_features', [extract(mem('img'), [(0, 0)] * 1001)]))
last_line('second task fails', JobMsg('extract_features', [extract(mem('img'), [(1, 1)]), extract(mem('nope'), [(1, 1)])]))

# A good job: its result, and the feature file spacer wrote (for the npz reader).
good = JobMsg('extract_features', [extract(mem('img'), [(0, 0), (39, 99), (0, 0)], 'good.npz', dim=3)])
ret = process_job(good)
assert ret.ok
cases.append({'name': 'good extract', 'job': json.dumps(good.serialize()), 'result': json.dumps(ret.serialize())})
with open('test/fixtures/features-pyspacer.npz', 'wb') as f:
    f.write(storage_factory('memory').load('good.npz').getvalue())

# Training-label checks, on features spacer itself wrote.
for i in range(3):
    process_job(JobMsg('extract_features', [extract(mem('img'), [(1, 1), (2, 2)], f'train{i}.npz')]))


def labels(keys, annotations):
    return ImageLabels({mem(k): annotations for k in keys})


def train(train_set, ref_set, val_set, previous=()):
    return JobMsg('train_classifier', [TrainClassifierMsg(
        job_token='train', trainer='minibatch', nbr_epochs=2, clf_type='LR',
        labels=TrainingTaskLabels(train=train_set, ref=ref_set, val=val_set),
        previous_model_locs=[mem(p) for p in previous], model_loc=mem('model.pkl'), valresult_loc=mem('vr.json'))])


two = [(1, 1, 'Sand'), (2, 2, 7)]
last_line('one class left', train(labels(['train0.npz'], two), labels(['train1.npz'], [(1, 1, 'Sand')]),
                                  labels(['train2.npz'], two)))
last_line('val set empty', train(labels(['train0.npz'], two), labels(['train1.npz'], two),
                                 labels(['train2.npz'], [(1, 1, 99)])))
last_line('missing previous model', train(labels(['train0.npz'], two), labels(['train1.npz'], two),
                                          labels(['train2.npz'], two), previous=['my_previous_model']))
last_line('positions mismatch', train(labels(['train0.npz'], two), labels(['train1.npz'], [(5, 6, 'Sand'), (2, 2, 7)]),
                                      labels(['train2.npz'], two)))

with open('test/fixtures/pyspacer-worker.json', 'w') as f:
    json.dump(cases, f, indent=1, ensure_ascii=False)
    f.write('\n')
