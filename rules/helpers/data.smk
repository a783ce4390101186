# CIFAR-10 prepared once into one file, with a record of what it holds (the runs' input) and
# one of the source it came from. Nothing here runs at parse time: the source is checked when
# the first job that needs the data is planned, by the main process only (a cluster's job
# trusts the plan it was submitted from).
PREPARED_DATA = "results/data/cifar10.npz"
PREPARED_CONTENT = "results/data/cifar10.content.json"
PREPARED_RECORD = "results/data/cifar10.source.json"
# The configured source as last read: its size and time, its fingerprint and training-set
# size, so that a source moved, copied or not prepared yet is read once, not at every
# invocation. Beside Snakemake's own records: a dry run writes nothing in results/.
SOURCE_SEEN = ".snakemake/convlab/cifar10.seen.json"


@functools.cache
def prepared_record():
    """The prepared data's source record when the configured source holds the same data;
    None when nothing is prepared yet. Other data is one line before anything is deleted."""
    record = read_record(PREPARED_RECORD) if Path(PREPARED_DATA).exists() else None
    if record is not None and workflow.is_main_process:
        try:
            check_same_source(config["cifar10"]["path"], record, PREPARED_DATA, SOURCE_SEEN)
        except SourceChanged as error:
            fail(error)
    return record


@functools.cache
def source(name, compute):
    """A fact of the configured source: from the prepared data's record when it holds the
    same data (checked above), else read from the source once (a project not prepared yet),
    then known by its size and time."""
    record = prepared_record()
    if record:
        return record[name]
    return remembered(config["cifar10"]["path"], SOURCE_SEEN, name, compute)


def source_fingerprint(wildcards):
    return source("sha256", fingerprint)


@functools.cache
def prepared_damage_found():
    """Why the prepared file cannot be read (a copy cut short), or None; a dry run says what
    a run will do about it (repair_damaged_data, as the run starts)."""
    record = prepared_record()
    if record is None or not workflow.is_main_process:
        return None
    damage = prepared_damage(PREPARED_DATA, record.get("prepared_bytes"))
    if damage and workflow.dryrun:
        print(
            f"{PREPARED_DATA} is damaged ({damage}); a run without --dry-run prepares it again",
            file=sys.stderr,
        )
    return damage


def repair_damaged_data():
    """Before the first job (onstart: under Snakemake's lock, in its log, never in a dry run),
    prepare a damaged file again from its source. As a job it would retrain every run:
    Snakemake reruns whatever follows a job that reruns, and the content record that makes
    a run's identity cannot be `ancient`. The content must come out as recorded."""
    damage = prepared_damage_found()
    if damage is None:
        return
    cifar10 = config["cifar10"]
    logger.info(
        f"{PREPARED_DATA} is damaged ({damage}); preparing it again from "
        f"{cifar10['path'] or 'keras.datasets.cifar10'}, no run is trained again"
    )
    try:
        repair_prepared(PREPARED_DATA, prepared_record(), read_record(PREPARED_CONTENT), cifar10)
    except DataError as error:
        fail(error)


def say_damage_left():
    """A damaged file that no job of this run needed (Snakemake then starts no hook) stays
    as it is, and is said to."""
    if prepared_damage_found.cache_info().currsize == 0:  # no training job was planned
        return
    if prepared_damage_found() and (
        damage := prepared_damage(PREPARED_DATA, prepared_record().get("prepared_bytes"))
    ):
        print(
            f"{PREPARED_DATA} is damaged ({damage}); no job needed it, the next run with jobs "
            "to do prepares it again",
            file=sys.stderr,
        )


def prepared_data(wildcards):
    """The prepared data as a training job's inputs (a damaged file is noted here, prepared
    again as the run starts)."""
    prepared_damage_found()
    return {
        "data": ancient(rules.prepare_data.output.data),
        "data_content": rules.prepare_data.output.content,
    }


def train_size():
    return source("train_images", training_set_size)
