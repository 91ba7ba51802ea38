export { testStore, type StoreContractOptions } from "./store-contract.js";
export { testVectorIndex, type VectorIndexContractOptions } from "./vector-index-contract.js";
