"""
Writes test/fixtures/python-vectors.json: the exact bytes pyspacer 0.14 produces for its messages, and what its
deserializers accept or reject. It runs pyspacer's own message code (a checkout of coralnet/pyspacer at 0.14.0,
b52acdb) with Debian's python3-numpy and python3-pil; torch, sklearn and boto3 are replaced by empty stand-ins
(pyspacer_stubs.py) because no message code path calls them.

    PYTHONPATH=test/oracle:/path/to/pyspacer /usr/bin/python3 test/oracle/make_vectors.py > test/fixtures/python-vectors.json

The committed file is then formatted by biome (npx biome check --write): compare regenerated output as JSON values.
"""
import json
import sys

import pyspacer_stubs  # noqa: F401  (must come before spacer)
from spacer.data_classes import DataLocation, ImageLabels, ValResults
from spacer.extractors import DummyExtractor, EfficientNetExtractor, VGG16CaffeExtractor
from spacer.messages import (
    ClassifyFeaturesMsg, ClassifyImageMsg, ClassifyReturnMsg, ExtractFeaturesMsg, ExtractFeaturesReturnMsg,
    JobMsg, JobReturnMsg, TrainClassifierMsg, TrainClassifierReturnMsg, TrainingTaskLabels)
from spacer.train_classifier import MiniBatchTrainer

CLASSES = {
    'DataLocation': DataLocation, 'ImageLabels': ImageLabels, 'TrainingTaskLabels': TrainingTaskLabels,
    'ValResults': ValResults, 'ExtractFeaturesMsg': ExtractFeaturesMsg, 'ExtractFeaturesReturnMsg': ExtractFeaturesReturnMsg,
    'TrainClassifierMsg': TrainClassifierMsg, 'TrainClassifierReturnMsg': TrainClassifierReturnMsg,
    'ClassifyFeaturesMsg': ClassifyFeaturesMsg, 'ClassifyImageMsg': ClassifyImageMsg,
    'ClassifyReturnMsg': ClassifyReturnMsg, 'JobMsg': JobMsg, 'JobReturnMsg': JobReturnMsg,
}
cases = []


def built(name, type_name, obj):
    """A message pyspacer builds: its json.dumps(serialize()) bytes."""
    cases.append({'name': name, 'type': type_name, 'python': json.dumps(obj.serialize())})


def decoded(name, type_name, text):
    """A JSON text pyspacer deserializes: what it writes back, or the exception it raises."""
    try:
        obj = CLASSES[type_name].deserialize(json.loads(text))
        cases.append({'name': name, 'type': type_name, 'input': text, 'python': json.dumps(obj.serialize())})
    except Exception as e:  # noqa: BLE001
        cases.append({'name': name, 'type': type_name, 'input': text, 'error': type(e).__name__, 'detail': str(e)})


for type_name, cls in CLASSES.items():
    built(f'{type_name}.example()', type_name, cls.example())

task_examples = {
    'extract_features': (ExtractFeaturesMsg.example(), ExtractFeaturesReturnMsg.example()),
    'train_classifier': (TrainClassifierMsg.example(), TrainClassifierReturnMsg.example()),
    'classify_features': (ClassifyFeaturesMsg.example(), ClassifyReturnMsg.example()),
    'classify_image': (ClassifyImageMsg.example(), ClassifyReturnMsg.example()),
}
for task_name, (task, result) in task_examples.items():
    for n in (1, 3):
        job = JobMsg(task_name=task_name, tasks=[task] * n)
        built(f'JobMsg {task_name} x{n}', 'JobMsg', job)
        built(f'JobReturnMsg {task_name} x{n} ok', 'JobReturnMsg',
              JobReturnMsg(original_job=job, ok=True, results=[result] * n, error_message=None))
        built(f'JobReturnMsg {task_name} x{n} error', 'JobReturnMsg',
              JobReturnMsg(original_job=job, ok=False, results=None, error_message='some error message'))

# Extractors and trainers.
built('ExtractFeaturesMsg DummyExtractor', 'ExtractFeaturesMsg', ExtractFeaturesMsg(
    job_token='dummy', extractor=DummyExtractor(feature_dim=5), rowcols=[(0, 0), (10, 20), (10, 20)],
    image_loc=DataLocation('s3', 'images/1.jpg', 'my-bucket'), feature_loc=DataLocation('filesystem', '/tmp/1.npz')))
built('ExtractFeaturesMsg VGG16 with hashes', 'ExtractFeaturesMsg', ExtractFeaturesMsg(
    job_token='vgg', extractor=VGG16CaffeExtractor(
        data_locations=dict(definition=DataLocation('s3', 'vgg16.prototxt', 'spacer-tools'),
                            weights=DataLocation('s3', 'vgg16.caffemodel', 'spacer-tools')),
        data_hashes=dict(weights='fb83781de0e207ded23bd42d7eb6e75c1e915a6fbef74120f72732984e227cca')),
    rowcols=[(1, 2)], image_loc=DataLocation('url', 'https://example.org/a.jpg?sig=x'),
    feature_loc=DataLocation('memory', 'a.featurevector')))
train = TrainClassifierMsg.example()
for label, trainer in [
    ('batch_size=10000', MiniBatchTrainer(batch_size=10000)),
    ('all params', MiniBatchTrainer(batch_size=100, mlp_hidden_layer_sizes=(200, 100), mlp_learning_rate_init=1e-4,
                                    mlp_large_data_threshold=10, sgd_loss='hinge', sgd_average=False,
                                    sgd_random_state=7)),
]:
    msg = TrainClassifierMsg(job_token='t', trainer=trainer, nbr_epochs=10, clf_type='LR', labels=train.labels,
                             previous_model_locs=[], model_loc=train.model_loc, valresult_loc=train.valresult_loc,
                             feature_cache_dir='/var/cache/spacer')
    built(f'TrainClassifierMsg trainer {label}', 'TrainClassifierMsg', msg)

# Python's number and string rendering.
built('ClassifyReturnMsg floats, big and string classes', 'ClassifyReturnMsg', ClassifyReturnMsg(
    runtime=2.0, scores=[(1, 2, [0.1 + 0.2, 1e-05, 1e16, 123456789.125, 5e-324, 0.0])],
    classes=[2 ** 64 + 1, -(2 ** 70), 'Porites sp.'], valid_rowcol=True))
built('ClassifyReturnMsg legacy features', 'ClassifyReturnMsg', ClassifyReturnMsg(
    runtime=0.5, scores=[(None, None, [0.25, 0.75])], classes=['a', 'b'], valid_rowcol=False))
built('ValResults string and big classes', 'ValResults', ValResults(
    scores=[0.5, 1.0], gt=[0, 1], est=[1, 1], classes=['Acropora', 9007199254740993]))
built('ExtractFeaturesMsg non-ASCII', 'ExtractFeaturesMsg', ExtractFeaturesMsg(
    job_token='récif 🐠 "q" \\ \n\t\x7f\u2028', extractor=DummyExtractor(), rowcols=[(1, 1)],
    image_loc=DataLocation('filesystem', '/données/île.jpg'), feature_loc=DataLocation('memory', 'ü')))
built('ImageLabels big and string labels', 'ImageLabels', ImageLabels({
    DataLocation('s3', 'f/1.featurevector', 'b'): [(1, 2, 2 ** 63), (3, 4, 'Sand')],
    DataLocation('memory', 'é'): [(0, 0, -1)]}))

# What the deserializers accept (and normalise) or reject.
ex = json.dumps(ExtractFeaturesMsg.example().serialize())
tr = TrainClassifierMsg.example().serialize()
legacy = dict(tr)
del legacy['trainer']
legacy['trainer_name'] = 'minibatch'
decoded('legacy trainer_name minibatch', 'TrainClassifierMsg', json.dumps(legacy))
legacy_path = dict(legacy, trainer_name='spacer.train_classifier.MiniBatchTrainer')
decoded('legacy trainer_name class path', 'TrainClassifierMsg', json.dumps(legacy_path))
explicit_defaults = dict(tr, trainer={'class_path': 'spacer.train_classifier.MiniBatchTrainer', 'sgd_random_state': 3,
                                      'batch_size': 5000, 'sgd_loss': 'log_loss'})
decoded('trainer params reordered, defaults dropped', 'TrainClassifierMsg', json.dumps(explicit_defaults))
decoded('trainer unknown param', 'TrainClassifierMsg',
        json.dumps(dict(tr, trainer={'class_path': 'spacer.train_classifier.MiniBatchTrainer', 'epochs': 3})))
decoded('missing job_token', 'ExtractFeaturesMsg', json.dumps({k: v for k, v in json.loads(ex).items() if k != 'job_token'}))
decoded('empty rowcols', 'ExtractFeaturesMsg', json.dumps(dict(json.loads(ex), rowcols=[])))
decoded('rowcol of three', 'ExtractFeaturesMsg', json.dumps(dict(json.loads(ex), rowcols=[[120, 101, 121]])))
decoded('url feature_loc', 'ExtractFeaturesMsg', json.dumps(dict(
    json.loads(ex), feature_loc={'storage_type': 'url', 'key': 'https://...', 'bucket_name': None})))
decoded('short extractor class path, extra key ignored', 'ExtractFeaturesMsg', json.dumps(dict(
    json.loads(ex), extra='ignored', extractor={'class_path': 'spacer.extractors.EfficientNetExtractor',
                                                 'data_locations': {'weights': {'storage_type': 'filesystem', 'key': 'w.pt'}},
                                                 'data_hashes': None})))
decoded('DummyExtractor defaults', 'ExtractFeaturesMsg', json.dumps(dict(
    json.loads(ex), extractor={'class_path': 'spacer.extractors.DummyExtractor', 'data_locations': {}})))
decoded('EfficientNet without weights', 'ExtractFeaturesMsg', json.dumps(dict(
    json.loads(ex), extractor={'class_path': 'spacer.extractors.EfficientNetExtractor', 'data_locations': {}})))
decoded('s3 without bucket_name', 'DataLocation', '{"storage_type": "s3", "key": "k"}')
decoded('unknown storage_type', 'DataLocation', '{"storage_type": "gcs", "key": "k", "bucket_name": null}')
decoded('DataLocation extra key', 'DataLocation', '{"storage_type": "memory", "key": "k", "region": "x"}')
decoded('DataLocation compact, no bucket_name', 'DataLocation', '{"key":"k","storage_type":"memory"}')
decoded('unknown task_name', 'JobMsg', '{"task_name": "segment", "tasks": []}')
decoded('ImageLabels keys in other spellings merge', 'ImageLabels', json.dumps({
    '{"storage_type":"filesystem","key":"a","bucket_name":null}': [[1, 2, 3]],
    '{"key": "b", "storage_type": "filesystem"}': [[4, 5, 6]],
    '{"storage_type": "filesystem", "key": "a", "bucket_name": null}': [[7, 8, 9]]}))
decoded('ImageLabels pre-0.13 key', 'ImageLabels', '{"img1.features": [[1, 2, 3]]}')
decoded('ValResults index out of range', 'ValResults', '{"scores": [0.5], "gt": [2], "est": [0], "classes": [1, 2]}')
decoded('ValResults negative index', 'ValResults', '{"scores": [0.5], "gt": [0], "est": [-1], "classes": [1, 2]}')
decoded('ValResults unequal lengths', 'ValResults', '{"scores": [0.5, 0.2], "gt": [0], "est": [0], "classes": [1, 2]}')
decoded('ValResults empty', 'ValResults', '{"scores": [], "gt": [], "est": [], "classes": [1]}')
decoded('ExtractFeaturesReturnMsg extra key', 'ExtractFeaturesReturnMsg',
        '{"extractor_loaded_remotely": true, "runtime": 1, "model_was_cached": true}')
decoded('JobReturnMsg ok false keeps results as given', 'JobReturnMsg', json.dumps({
    'original_job': JobMsg.example().serialize(), 'ok': False, 'results': [{'anything': 1}],
    'error_message': 'Traceback (most recent call last):\n  ...\nKeyError: \'missing_image\'\n'}))
decoded('ClassifyReturnMsg int runtime stays int in Python', 'ClassifyReturnMsg',
        '{"runtime": 2, "scores": [[1, 2, [1]]], "classes": [7], "valid_rowcol": true}')

json.dump(cases, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write('\n')
