export { testStore, type StoreContractOptions } from "./store-contract.js";
