"""
The real Python client (scaleapi/nucleus-python-client, any checkout on PYTHONPATH or next to this file) run against
the fake: `npm run mock -- nucleus --port 4512`, then
`PYTHONPATH=/path/to/nucleus-python-client python3 python-client-scenario.py http://127.0.0.1:4512/v1/nucleus`.
Needs Debian's python3-requests, python3-aiohttp, python3-pydantic, python3-tqdm, python3-numpy; modules the
scenario never touches are stubbed. Prints one line per step (create, append, re-append, iterate, annotate, local
PNG masks as multipart, async append + job). Nothing of the Python client is copied here: it is only called.
"""
import sys, types, os, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Modules the scenario never uses (chips, S3, image helpers): empty stand-ins so `import nucleus` works offline.
for name in ["boto3", "botocore", "botocore.exceptions", "PIL", "PIL.Image", "PIL.ImageDraw", "shapely", "shapely.geometry", "rasterio", "rasterio.features", "scipy", "scipy.optimize", "sklearn", "sklearn.metrics", "questionary", "rich", "click", "nest_asyncio"]:
    if name not in sys.modules:
        try:
            __import__(name)
        except Exception:
            m = types.ModuleType(name)
            m.__getattr__ = lambda attr, _n=name: type(attr, (), {})
            sys.modules[name] = m
import nucleus
from nucleus import NucleusClient, DatasetItem, BoxAnnotation, SegmentationAnnotation, Segment
import tempfile

endpoint = sys.argv[1]
client = NucleusClient("py-scenario-key", endpoint=endpoint)
report = []
ds = client.create_dataset("py-scenario")
report.append(f"create_dataset -> {ds.id}")
items = [DatasetItem(image_location=f"s3://bucket/{i}.jpg", reference_id=f"py-{i}", metadata={"i": i}) for i in range(45)]
resp = ds.append(items)
report.append(f"append(45) -> {resp}")
resp2 = ds.append(items[:5])
report.append(f"append(5 again) -> {resp2}")
got = list(ds.items_generator(page_size=10))
report.append(f"items_generator -> {len(got)} items, first {got[0].reference_id}")
ann = [BoxAnnotation(label="car", x=1, y=2, width=3, height=4, reference_id=f"py-{i}", annotation_id=f"a{i}") for i in range(3)]
report.append(f"annotate -> {ds.annotate(ann)}")
# Local masks: the Python client sends these as multipart (10 per request) to dataset/{id}/annotate.
mask_dir = tempfile.mkdtemp(prefix="py-masks-")
masks = []
for i in range(12):
    path = os.path.join(mask_dir, f"mask-{i}.png")
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + bytes([i]))
    masks.append(SegmentationAnnotation(mask_url=path, annotations=[Segment(label="road", index=1)], reference_id=f"py-{i}", annotation_id=f"m{i}"))
report.append(f"annotate(12 local masks) -> {ds.annotate(masks)}")
job = ds.append([DatasetItem(image_location=f"s3://bucket/x{i}.jpg", reference_id=f"pyx-{i}") for i in range(4)], asynchronous=True)
report.append(f"async append -> job {job.job_id} {job.job_last_known_status}")
job.sleep_until_complete(verbose_std_out=False)
report.append(f"sleep_until_complete -> {job.job_last_known_status}; status() {job.status()}")
report.append(f"size -> {ds.size}")
print("\n".join(report))
