import { InstrumentId } from '../../../core/identifiers.js';
import type { InstrumentLookup, InstrumentPrecision } from '../types.js';

/**
 * Frames written for the tests in the formats documented at
 * developers.binance.com (spot "WebSocket Streams", USD-M futures "Websocket Market Streams").
 */
export const FRAMES = {
  spotTrade:
    '{"e":"trade","E":1700000000123,"s":"BTCUSDT","t":12345,"p":"37000.10000000","q":"0.00150000","b":88,"a":50,"T":1700000000120,"m":true,"M":true}',
  spotTradeCombined:
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000123,"s":"BTCUSDT","t":12346,"p":"37000.20","q":"0.5","T":1700000000121,"m":false,"M":true}}',
  spotAggTrade:
    '{"e":"aggTrade","E":1700000000200,"s":"BTCUSDT","a":777,"p":"36999.99000000","q":"1.25000000","f":100,"l":105,"T":1700000000199,"m":false,"M":true}',
  futuresAggTrade:
    '{"stream":"btcusdt@aggTrade","data":{"e":"aggTrade","E":1700000000300,"a":5555,"s":"BTCUSDT","p":"37010.1","q":"0.010","f":9000,"l":9001,"T":1700000000299,"m":true}}',
  futuresTrade:
    '{"stream":"btcusdt@trade","data":{"e":"trade","E":1700000000130,"T":1700000000129,"s":"BTCUSDT","t":4242,"p":"37000.5","q":"0.002","X":"MARKET","m":false}}',
  spotBookTickerTimed:
    '{"stream":"btcusdt@bookTicker","data":{"u":12711621188,"s":"BTCUSDT","b":"36999.99","B":"2.35950","a":"37000.00","A":"2.84570","T":1700000000121,"E":1700000000123}}',
  futuresBookTickerLive:
    '{"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":600859600576,"s":"BTCUSDT","b":"36999.90","B":"2","a":"37000.00","A":"297","T":1700000000412,"E":1700000000417}}',
  spotBookTicker: '{"u":400900217,"s":"BTCUSDT","b":"36999.99000000","B":"31.21000000","a":"37000.00000000","A":"40.66000000"}',
  futuresBookTicker:
    '{"e":"bookTicker","u":400900217,"E":1700000000400,"T":1700000000398,"s":"BTCUSDT","b":"36999.90","B":"31.210","a":"37000.00","A":"40.660"}',
  spotDepth:
    '{"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1700000000500,"s":"BTCUSDT","U":157,"u":160,"b":[["36999.00","1.5"],["36998.00","0"]],"a":[["37001.00","2.25"]]}}',
  futuresDepth:
    '{"e":"depthUpdate","E":1700000000600,"T":1700000000598,"s":"BTCUSDT","U":157,"u":160,"pu":149,"b":[["36999.0","10"]],"a":[["37001.0","100"]]}',
  spotKline:
    '{"stream":"btcusdt@kline_1m","data":{"e":"kline","E":1700000059999,"s":"BTCUSDT","k":{"t":1700000000000,"T":1700000059999,"s":"BTCUSDT","i":"1m","f":100,"L":200,"o":"37000.00","c":"37010.00","h":"37020.00","l":"36990.00","v":"12.5","n":101,"x":true,"q":"462600.0","V":"6.0","Q":"222000.0","B":"0"}}}',
  subscribeReply: '{"result":null,"id":1}',
  errorReply: '{"error":{"code":2,"msg":"Invalid request: unknown variable"},"id":"abc"}',
} as const;

export const BTC: InstrumentPrecision = {
  instrumentId: InstrumentId.parse('BTCUSDT.BINANCE'),
  pricePrecision: 2,
  sizePrecision: 5,
};

export const lookupBtc: InstrumentLookup = (s) => (s === 'BTCUSDT' ? BTC : undefined);
