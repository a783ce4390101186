"""results/data/cifar10.npz prepared again in place from its source, when it is damaged (a
copy cut short): the content must come out as the record says, so no run trains again."""

from convlab.cifar10 import repair_prepared
from convlab.datasource import check_same_source, read_record
from convlab.jobs import start_job
from convlab.prepared import prepared_damage

start_job(snakemake.log[0])
params = snakemake.params
cifar10 = snakemake.config["cifar10"]
record = read_record(params.record)
if record is None:
    print(f"{params.data} was never prepared; `snakemake` prepares it")
elif damage := prepared_damage(params.data, record.get("prepared_bytes")):
    check_same_source(cifar10["path"], record, params.data, params.seen)
    repair_prepared(params.data, record, read_record(params.content), cifar10)
    print(f"{params.data} was damaged ({damage}); prepared again from its source")
else:
    print(f"{params.data} is not damaged; nothing to do")
