# tracemalloc_src.py -- the Python part of PyMemLab's tracemalloc module (CPython 3.11's
# Lib/tracemalloc.py), run in the module's namespace by core/lib/tracemallocmodule.c, which
# explains what the namespace holds first (_tracemalloc's functions, _fnmatch, _getline).
# core/lib/gen_tracemalloc_py.py makes core/lib/tracemalloc_py.h of it.
#
# Line numbers matter: the frames of this code appear in traces and statistics, so every
# statement that allocates what a snapshot can show sits on the line of CPython's file
# (the "#@N" marks, checked by the generator; blank lines pad up to them).  What CPython
# inherits from Sequence and total_ordering is added at the end, past CPython's last line.
# The source stays inside the language subset the core runs: no imports, no `with`, no
# multiple inheritance, no decorators but property and staticmethod.

def _format_size(size, sign):  #@13
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if abs(size) < 100 and unit != 'B':
            # three digits: "xx.x UNIT"
            if sign:
                return "%+.1f %s" % (size, unit)
            return "%.1f %s" % (size, unit)
        if abs(size) < 10 * 1024 or unit == 'TiB':
            # four or five digits: "xxxx UNIT"
            if sign:
                return "%+.0f %s" % (size, unit)
            return "%.0f %s" % (size, unit)
        size /= 1024




class Statistic:  #@30
    """
    Statistic difference on memory allocations between two Snapshot instance.
    """

    __slots__ = ('traceback', 'size', 'count')

    def __init__(self, traceback, size, count):  #@37
        self.traceback = traceback
        self.size = size
        self.count = count

    def __hash__(self):
        return hash((self.traceback, self.size, self.count))

    def __eq__(self, other):
        if not isinstance(other, Statistic):
            return NotImplemented
        return (self.traceback == other.traceback
                and self.size == other.size
                and self.count == other.count)

    def __str__(self):  #@52
        text = "%s: size=%s, count=%i" % (self.traceback,
                                          _format_size(self.size, False),
                                          self.count)
        if self.count:
            average = self.size / self.count
            text += ", average=%s" % _format_size(average, False)
        return text


    def __repr__(self):  #@62
        return ('<Statistic traceback=%r size=%i count=%i>'
                % (self.traceback, self.size, self.count))

    def _sort_key(self):  #@66
        return (self.size, self.count, self.traceback)


class StatisticDiff:  #@70
    """
    Statistic difference on memory allocations between an old and a new
    Snapshot instance.
    """
    __slots__ = ('traceback', 'size', 'size_diff', 'count', 'count_diff')

    def __init__(self, traceback, size, size_diff, count, count_diff):  #@77
        self.traceback = traceback
        self.size = size
        self.size_diff = size_diff
        self.count = count
        self.count_diff = count_diff

    def __hash__(self):  #@84
        return hash((self.traceback, self.size, self.size_diff,
                     self.count, self.count_diff))

    def __eq__(self, other):  #@88
        if not isinstance(other, StatisticDiff):
            return NotImplemented
        return (self.traceback == other.traceback
                and self.size == other.size
                and self.size_diff == other.size_diff
                and self.count == other.count
                and self.count_diff == other.count_diff)

    def __str__(self):  #@97
        text = "%s: size=%s (%s), count=%i (%+i)" % (self.traceback,
                                                    _format_size(self.size, False),
                                                    _format_size(self.size_diff, True),
                                                    self.count,
                                                    self.count_diff)
        if self.count:
            average = self.size / self.count
            text += ", average=%s" % _format_size(average, False)
        return text


    def __repr__(self):  #@109
        return ('<StatisticDiff traceback=%r size=%i (%+i) count=%i (%+i)>'
                % (self.traceback, self.size, self.size_diff,
                   self.count, self.count_diff))

    def _sort_key(self):  #@114
        return (abs(self.size_diff), self.size,
                abs(self.count_diff), self.count,
                self.traceback)


def _compare_grouped_stats(old_group, new_group):  #@120
    statistics = []  #@121
    for traceback, stat in new_group.items():
        previous = old_group.pop(traceback, None)
        if previous is not None:
            stat = StatisticDiff(traceback,  #@125
                                 stat.size, stat.size - previous.size,
                                 stat.count, stat.count - previous.count)
        else:
            stat = StatisticDiff(traceback,  #@129
                                 stat.size, stat.size,
                                 stat.count, stat.count)
        statistics.append(stat)

    for traceback, stat in old_group.items():
        stat = StatisticDiff(traceback, 0, -stat.size, 0, -stat.count)  #@135
        statistics.append(stat)
    return statistics



class Frame:  #@141
    """
    Frame of a traceback.
    """
    __slots__ = ("_frame",)

    def __init__(self, frame):  #@147
        # frame is a tuple: (filename: str, lineno: int)
        self._frame = frame

    @property
    def filename(self):  #@152
        return self._frame[0]

    @property
    def lineno(self):  #@156
        return self._frame[1]

    def __eq__(self, other):  #@159
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame == other._frame

    def __lt__(self, other):  #@164
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame < other._frame

    def __hash__(self):  #@169
        return hash(self._frame)

    def __str__(self):  #@172
        return "%s:%s" % (self.filename, self.lineno)

    def __repr__(self):  #@175
        return "<Frame filename=%r lineno=%r>" % (self.filename, self.lineno)



class Traceback:  #@180
    """
    Sequence of Frame instances sorted from the oldest frame
    to the most recent frame.
    """
    __slots__ = ("_frames", '_total_nframe')

    def __init__(self, frames, total_nframe=None):  #@187
        # frames is a tuple of (filename, lineno) tuples, most recent first as
        # _tracemalloc gives them; the Python API lists the oldest frame first



        self._frames = tuple(reversed(frames))  #@193
        self._total_nframe = total_nframe

    @property
    def total_nframe(self):  #@197
        return self._total_nframe

    def __len__(self):  #@200
        return len(self._frames)

    def __getitem__(self, index):  #@203
        if isinstance(index, slice):
            return tuple(Frame(trace) for trace in self._frames[index])  #@205
        else:
            return Frame(self._frames[index])  #@207

    def __contains__(self, frame):  #@209
        return frame._frame in self._frames

    def __hash__(self):  #@212
        return hash(self._frames)

    def __eq__(self, other):  #@215
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames == other._frames

    def __lt__(self, other):  #@220
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames < other._frames

    def __str__(self):  #@225
        return str(self[0])

    def __repr__(self):  #@228
        s = f"<Traceback {tuple(self)}"
        if self._total_nframe is None:
            s += ">"
        else:
            s += f" total_nframe={self.total_nframe}>"
        return s

    def format(self, limit=None, most_recent_first=False):  #@236
        lines = []
        if limit is not None:
            if limit > 0:
                frame_slice = self[-limit:]
            else:
                frame_slice = self[:limit]
        else:
            frame_slice = self

        if most_recent_first:
            frame_slice = reversed(frame_slice)
        for frame in frame_slice:
            lines.append('  File "%s", line %s'
                         % (frame.filename, frame.lineno))
            line = _getline(frame.filename, frame.lineno).strip()
            if line:
                lines.append('    %s' % line)
        return lines


def get_object_traceback(obj):  #@257
    """
    Get the traceback where the Python object *obj* was allocated.
    Return a Traceback instance.

    Return None if the tracemalloc module is not tracing memory allocations or
    did not trace the allocation of the object.
    """
    frames = _get_object_traceback(obj)
    if frames is not None:
        return Traceback(frames)  #@267
    else:
        return None


class Trace:  #@272
    """
    Trace of a memory block.
    """
    __slots__ = ("_trace",)

    def __init__(self, trace):  #@278
        # trace is a tuple: (domain, size, traceback tuple, total_nframe)
        self._trace = trace


    @property
    def domain(self):  #@284
        return self._trace[0]

    @property
    def size(self):  #@288
        return self._trace[1]

    @property
    def traceback(self):  #@292
        return Traceback(self._trace[2], self._trace[3])  #@293

    def __eq__(self, other):  #@295
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace == other._trace

    def __hash__(self):  #@300
        return hash(self._trace)

    def __str__(self):  #@303
        return "%s: %s" % (self.traceback, _format_size(self.size, False))

    def __repr__(self):  #@306
        return ("<Trace domain=%s size=%s, traceback=%r>"
                % (self.domain, _format_size(self.size, False), self.traceback))


class _Traces:  #@311
    def __init__(self, traces):  #@312
        # traces is the list _get_traces returned: see Trace
        self._traces = traces


    def __len__(self):  #@317
        return len(self._traces)

    def __getitem__(self, index):  #@320
        if isinstance(index, slice):
            return tuple(Trace(trace) for trace in self._traces[index])  #@322
        else:
            return Trace(self._traces[index])  #@324

    def __contains__(self, trace):  #@326
        return trace._trace in self._traces

    def __eq__(self, other):  #@329
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces == other._traces

    def __repr__(self):  #@334
        return "<Traces len=%s>" % len(self)


def _normalize_filename(filename):  #@338
    # os.path.normcase is the identity on POSIX
    if filename.endswith('.pyc'):
        filename = filename[:-1]
    return filename


class BaseFilter:  #@345
    def __init__(self, inclusive):  #@346
        self.inclusive = inclusive

    def _match(self, trace):  #@349
        raise NotImplementedError


class Filter(BaseFilter):  #@353
    def __init__(self, inclusive, filename_pattern,  #@354
                 lineno=None, all_frames=False, domain=None):
        super().__init__(inclusive)
        self.inclusive = inclusive
        self._filename_pattern = _normalize_filename(filename_pattern)
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

    @property
    def filename_pattern(self):  #@364
        return self._filename_pattern

    def _match_frame_impl(self, filename, lineno):  #@367
        filename = _normalize_filename(filename)
        if not _fnmatch(filename, self._filename_pattern):
            return False
        if self.lineno is None:
            return True
        else:
            return (lineno == self.lineno)

    def _match_frame(self, filename, lineno):  #@376
        return self._match_frame_impl(filename, lineno) ^ (not self.inclusive)

    def _match_traceback(self, traceback):  #@379
        if self.all_frames:
            if any(self._match_frame_impl(filename, lineno)
                   for filename, lineno in traceback):
                return self.inclusive
            else:
                return (not self.inclusive)
        else:
            filename, lineno = traceback[0]
            return self._match_frame(filename, lineno)

    def _match(self, trace):  #@390
        domain, size, traceback, total_nframe = trace
        res = self._match_traceback(traceback)
        if self.domain is not None:
            if self.inclusive:
                return res and (domain == self.domain)
            else:
                return res or (domain != self.domain)
        return res


class DomainFilter(BaseFilter):  #@401
    def __init__(self, inclusive, domain):  #@402
        super().__init__(inclusive)
        self._domain = domain

    @property
    def domain(self):  #@407
        return self._domain

    def _match(self, trace):  #@410
        domain, size, traceback, total_nframe = trace
        return (domain == self.domain) ^ (not self.inclusive)


class Snapshot:  #@415
    """
    Snapshot of traces of memory blocks allocated by Python.
    """

    def __init__(self, traces, traceback_limit):  #@420
        # traces is a list of trace tuples: see Trace

        self.traces = _Traces(traces)  #@423
        self.traceback_limit = traceback_limit

    def dump(self, filename):  #@426
        # the lab has no file system: the snapshot is kept under that name
        _dumped_snapshots[filename] = (self.traces._traces.copy(), self.traceback_limit)




    @staticmethod
    def load(filename):  #@434
        if filename not in _dumped_snapshots:
            raise OSError("[Errno 2] No such file or directory: %r" % (filename,))
        traces, limit = _dumped_snapshots[filename]
        return Snapshot(traces.copy(), limit)


    def _filter_trace(self, include_filters, exclude_filters, trace):  #@441
        if include_filters:
            if not any(trace_filter._match(trace)
                       for trace_filter in include_filters):
                return False
        if exclude_filters:
            if any(not trace_filter._match(trace)
                   for trace_filter in exclude_filters):
                return False
        return True

    def filter_traces(self, filters):  #@452
        """
        Create a new Snapshot instance with a filtered traces sequence, filters
        is a list of Filter or DomainFilter instances.  If filters is an empty
        list, return a new Snapshot instance with a copy of the traces.
        """
        if getattr(type(filters), "__iter__", None) is None:
            raise TypeError("filters must be a list of filters, not %s"
                            % type(filters).__name__)
        if filters:
            include_filters = []
            exclude_filters = []
            for trace_filter in filters:
                if trace_filter.inclusive:
                    include_filters.append(trace_filter)
                else:
                    exclude_filters.append(trace_filter)
            new_traces = [trace for trace in self.traces._traces  #@469
                          if self._filter_trace(include_filters,
                                                exclude_filters,
                                                trace)]
        else:
            new_traces = self.traces._traces.copy()  #@474
        return Snapshot(new_traces, self.traceback_limit)  #@475

    def _group_by(self, key_type, cumulative):  #@477
        if key_type not in ('traceback', 'filename', 'lineno'):
            raise ValueError("unknown key_type: %r" % (key_type,))
        if cumulative and key_type not in ('lineno', 'filename'):
            raise ValueError("cumulative mode cannot by used "
                             "with key type %r" % key_type)

        stats = {}  #@484
        tracebacks = {}  #@485
        if not cumulative:
            for trace in self.traces._traces:
                domain, size, trace_traceback, total_nframe = trace
                traceback = tracebacks.get(trace_traceback)
                if traceback is None:
                    if key_type == 'traceback':
                        frames = trace_traceback
                    elif key_type == 'lineno':
                        frames = trace_traceback[:1]
                    else:  # key_type == 'filename'
                        frames = ((trace_traceback[0][0], 0),)

                    traceback = Traceback(frames)  #@498
                    tracebacks[trace_traceback] = traceback
                stat = stats.get(traceback)
                if stat is not None:
                    stat.size += size
                    stat.count += 1
                else:
                    stats[traceback] = Statistic(traceback, size, 1)  #@505
        else:
            # cumulative statistics: each frame of a trace counts it once
            for trace in self.traces._traces:
                domain, size, trace_traceback, total_nframe = trace
                for frame in trace_traceback:
                    traceback = tracebacks.get(frame)
                    if traceback is None:
                        if key_type == 'lineno':
                            frames = (frame,)
                        else:  # key_type == 'filename'
                            frames = ((frame[0], 0),)

                        traceback = Traceback(frames)  #@518
                        tracebacks[frame] = traceback
                    stat = stats.get(traceback)
                    if stat is not None:
                        stat.size += size
                        stat.count += 1
                    else:
                        stats[traceback] = Statistic(traceback, size, 1)  #@525
        return stats

    def statistics(self, key_type, cumulative=False):  #@528
        """
        Group statistics by key_type. Return a sorted list of Statistic
        instances.
        """
        grouped = self._group_by(key_type, cumulative)
        statistics = list(grouped.values())  #@534
        statistics.sort(reverse=True, key=Statistic._sort_key)
        return statistics

    def compare_to(self, old_snapshot, key_type, cumulative=False):  #@538
        """
        Compute the differences with an old snapshot old_snapshot. Get
        statistics as a sorted list of StatisticDiff instances, grouped by
        group_by.
        """
        new_group = self._group_by(key_type, cumulative)
        old_group = old_snapshot._group_by(key_type, cumulative)
        statistics = _compare_grouped_stats(old_group, new_group)
        statistics.sort(reverse=True, key=StatisticDiff._sort_key)
        return statistics


def take_snapshot():  #@551
    """
    Take a snapshot of traces of memory blocks allocated by Python.
    """
    if not is_tracing():
        raise RuntimeError("the tracemalloc module must be tracing memory "
                           "allocations to take a snapshot")
    traces = _get_traces()  #@558
    traceback_limit = get_traceback_limit()
    return Snapshot(traces, traceback_limit)  #@560


# ---- below CPython's last line: what it gets from its imports

# Snapshot.dump/load: dumped snapshots by file name, for the rest of the run.
_dumped_snapshots = {}


# functools.total_ordering: <=, > and >= from __lt__ and __eq__
def _gt_from_lt(self, other):
    res = type(self).__lt__(self, other)
    if res is NotImplemented:
        return res
    return not res and self != other


def _le_from_lt(self, other):
    res = type(self).__lt__(self, other)
    if res is NotImplemented:
        return res
    return res or self == other


def _ge_from_lt(self, other):
    res = type(self).__lt__(self, other)
    if res is NotImplemented:
        return res
    return not res


# collections.abc.Sequence: iteration, reversed(), index() and count()
def _seq_iter(self):
    i = 0
    while True:
        try:
            v = self[i]
        except IndexError:
            return
        yield v
        i += 1


def _seq_reversed(self):
    i = len(self) - 1
    while i >= 0:
        yield self[i]
        i -= 1


def _seq_index(self, value, start=0, stop=None):
    if start is not None and start < 0:
        start = max(len(self) + start, 0)
    if stop is not None and stop < 0:
        stop += len(self)
    i = start
    while stop is None or i < stop:
        try:
            v = self[i]
        except IndexError:
            break
        if v is value or v == value:
            return i
        i += 1
    raise ValueError


def _seq_count(self, value):
    return sum(1 for v in self if v is value or v == value)


for _cls in (Frame, Traceback):
    _cls.__gt__ = _gt_from_lt
    _cls.__le__ = _le_from_lt
    _cls.__ge__ = _ge_from_lt
for _cls in (Traceback, _Traces):
    _cls.__iter__ = _seq_iter
    _cls.__reversed__ = _seq_reversed
    _cls.index = _seq_index
    _cls.count = _seq_count
del _cls
