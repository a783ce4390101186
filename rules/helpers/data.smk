# CIFAR-10 prepared once into one file, with a record of what it holds (the runs' input) and
# one of the source it came from (checked here).
PREPARED_DATA = "results/data/cifar10.npz"
PREPARED_CONTENT = "results/data/cifar10.content.json"
PREPARED_RECORD = "results/data/cifar10.source.json"


def prepared_record():
    """The prepared data's source record when the configured source holds the same data;
    None when nothing is prepared yet. Other data is one line before anything is deleted."""
    record = read_record(PREPARED_RECORD) if Path(PREPARED_DATA).exists() else None
    if record is not None:
        try:
            check_same_source(config["cifar10"]["path"], record, PREPARED_DATA)
        except SourceChanged as error:
            fail(error)
    return record


PREPARED = prepared_record()


def source_fingerprint():
    """The configured source's content fingerprint: the record's when it holds the same data
    (checked above), else read once from the source (a project not prepared yet)."""
    return PREPARED["sha256"] if PREPARED else fingerprint(config["cifar10"]["path"])


@functools.cache
def repair_prepared_once():
    """Prepare the data again if the prepared file is damaged; once per invocation, when the
    first training job is planned (a dry run is known by then)."""
    try:
        repair_prepared(
            PREPARED_DATA,
            PREPARED,
            read_record(PREPARED_CONTENT),
            config["cifar10"],
            workflow.dryrun,
            say=lambda line: print(line, file=sys.stderr),
        )
    except DataError as error:
        fail(error)


def prepared_data(wildcards):
    """The prepared data as a training job's inputs, repaired first if damaged."""
    if PREPARED and not building_report():
        repair_prepared_once()
    return {
        "data": ancient(rules.prepare_data.output.data),
        "data_content": rules.prepare_data.output.content,
    }


@functools.cache
def train_size():
    """Size of the configured training set: from the prepared data's record (fast), else
    counted in the source, once per invocation."""
    return PREPARED["train_images"] if PREPARED else training_set_size(config["cifar10"]["path"])
