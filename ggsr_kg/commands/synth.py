"""``ggsr-kg synth``: deterministic synthetic national data for scale tests and benchmarks."""

from __future__ import annotations

from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("synth", help="synthetische landelijke gegevens / synthetic national data")
    p.add_argument("--gemeenten", type=int, default=342, metavar="N")
    p.add_argument("--seed", type=int, default=1, metavar="S")
    p.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="BESTAND.nq|.trig|.ttl|.nt",
        help=".nq/.trig: een benoemde graaf per gemeente (één gemeente apart te valideren) / "
        "one named graph per municipality; .ttl/.nt: alles in één graaf / everything in one graph",
    )
    p.set_defaults(run=run)


def run(args) -> int:
    from ..errors import InputError
    from ..synth import generate

    if args.gemeenten < 1:
        raise InputError("--gemeenten moet minstens 1 zijn / must be at least 1")
    result = generate(args.gemeenten, args.seed)
    tmp = args.out.with_suffix(args.out.suffix + ".tmp")
    result.write(tmp, name=args.out)
    tmp.replace(args.out)  # never leave a half-written file under the requested name
    verbeter = sum(1 for s in result.expected.values() if s == "verbeterpunt")
    onbekend = sum(1 for s in result.expected.values() if s == "onbekend")
    print(
        f"{args.out}: {len(result.quads)} triples, {args.gemeenten} gemeenten, "
        f"{len(result.expected)} indicatoroordelen waarvan {verbeter} verbeterpunt en "
        f"{onbekend} onbekend (opzettelijk)"
    )
    return 0
