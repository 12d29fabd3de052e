/** Commands on a stock item (stream `stock-<sku>`). */
export type StockItemCommand =
  | { type: 'ReceiveStock'; data: { sku: string; quantity: number; reference?: string } }
  /** `quantity` is signed: a count correction, damage, shrinkage. */
  | { type: 'AdjustStock'; data: { sku: string; quantity: number; reason: string } }
  | {
      type: 'ReserveStock';
      data: {
        sku: string;
        orderId: string;
        quantity: number;
        /**
         * Whether the order still awaits its stock (it is `placed`), filled in by the command
         * handler from the order's stream after loading this stock item (reserve-stock.ts).
         * A settled order is never reserved for: that is what keeps repeats safe. Absent only
         * where no handler runs (fixtures folding a history): then it is decided as placed.
         */
        orderPlaced?: boolean;
      };
    }
  | { type: 'ReleaseReservation'; data: { sku: string; orderId: string } }
  | { type: 'CommitReservation'; data: { sku: string; orderId: string } };

export type StockItemCommandType = StockItemCommand['type'];
