import Foundation

/// Ingest on two cores: one thread reads the file and parses it with libcsv into batches of
/// records, the calling thread decodes, checks and stores them. The batches keep file order, so
/// the result is the same as reading on one thread; they are recycled, so after the first few
/// the records' arrays are reused and parsing allocates nothing.
///
/// Memory stays bounded: at most `batchesInFlight` batches of `recordsPerBatch` records exist.
final class IngestPipeline: @unchecked Sendable {
  static let recordsPerBatch = 1024
  static let batchesInFlight = 4

  /// Records and the other events of the file, in order.
  final class Batch {
    enum Item {
      case record(Int)
      case other(CSVEvent)
    }
    /// Record slots, reused from batch to batch; the first `recordCount` are this batch's.
    var records: [CSVRecord] = []
    var recordCount = 0
    var items: [Item] = []
    /// Bytes of the file read when the batch was sent.
    var bytesRead = 0

    func append(_ event: CSVEvent) {
      guard case .record(let record) = event else {
        items.append(.other(event))
        return
      }
      let slot = recordCount
      if slot < records.count {
        records.withUnsafeMutableBufferPointer { $0[slot].assign(record) }
      } else {
        records.append(record)
      }
      recordCount += 1
      items.append(.record(slot))
    }

    /// Takes the record by swapping it with a spare slot's record, whose arrays (with their
    /// capacity) go back to the parser: no copy, no allocation.
    func take(_ record: inout CSVRecord) {
      let slot = recordCount
      if slot < records.count {
        records.withUnsafeMutableBufferPointer { swap(&$0[slot], &record) }
      } else {
        records.append(record)
        record = CSVRecord()
      }
      recordCount += 1
      items.append(.record(slot))
    }

    func reset() {
      items.removeAll(keepingCapacity: true)
      recordCount = 0
      bytesRead = 0
    }
  }

  private let condition = NSCondition()
  /// The producer's work, held here (not captured by the thread's closure) and dropped when done.
  private var produce:
    (
      (
        @escaping (CSVEvent) -> Void, @escaping (inout CSVRecord) -> Void,
        @escaping (Int) -> Void
      ) -> Void
    )?
  private var full: [Batch] = []
  private var empty: [Batch] = []
  private var finished = false

  init() {
    for _ in 0..<Self.batchesInFlight { empty.append(Batch()) }
  }

  /// Runs `produce` on a second thread, which calls its `send` with every event (or `take` with
  /// a record to swap out) and its `bytesRead` after each chunk; calls `consume` on this thread
  /// with each batch in order; returns when both are done.
  func run(
    produce:
      @escaping (
        _ send: @escaping (CSVEvent) -> Void, _ take: @escaping (inout CSVRecord) -> Void,
        _ bytesRead: @escaping (Int) -> Void
      ) -> Void,
    consume: (Batch) -> Void
  ) {
    self.produce = produce
    let producer = Thread { [self] in runProducer() }
    producer.stackSize = 1 << 22
    producer.start()
    while let batch = takeFull() {
      consume(batch)
      batch.reset()
      giveBack(batch)
    }
  }

  private func runProducer() {
    var batch = takeEmpty()
    var bytes = 0
    func sendIfFull() {
      guard batch.items.count >= Self.recordsPerBatch else { return }
      batch.bytesRead = bytes
      send(batch)
      batch = takeEmpty()
    }
    produce?(
      { event in
        batch.append(event)
        sendIfFull()
      },
      { record in
        batch.take(&record)
        sendIfFull()
      },
      { bytes = $0 })
    batch.bytesRead = bytes
    send(batch)
    condition.lock()
    produce = nil
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  private func takeEmpty() -> Batch {
    condition.lock()
    defer { condition.unlock() }
    while empty.isEmpty { condition.wait() }
    return empty.removeLast()
  }

  private func send(_ batch: Batch) {
    condition.lock()
    full.append(batch)
    condition.broadcast()
    condition.unlock()
  }

  /// The next batch in file order, or nil once the producer is done and every batch is taken.
  private func takeFull() -> Batch? {
    condition.lock()
    defer { condition.unlock() }
    while full.isEmpty && !finished { condition.wait() }
    return full.isEmpty ? nil : full.removeFirst()
  }

  private func giveBack(_ batch: Batch) {
    condition.lock()
    empty.append(batch)
    condition.broadcast()
    condition.unlock()
  }
}
