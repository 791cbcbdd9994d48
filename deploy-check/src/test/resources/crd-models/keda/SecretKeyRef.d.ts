import { ModelData, Model } from "@kubernetes-models/base";
export interface ISecretKeyRef {
    "key": string;
    "name": string;
}
export declare class SecretKeyRef extends Model<ISecretKeyRef> implements ISecretKeyRef {
    "key": string;
    "name": string;
    constructor(data?: ModelData<ISecretKeyRef>);
}
export type { ISecretKeyRef as IComGithubKedacoreKedaV2ApisKedaV1alpha1SecretKeyRef, SecretKeyRef as ComGithubKedacoreKedaV2ApisKedaV1alpha1SecretKeyRef };
